from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "planpal.chat"
    label = "chat"

    def ready(self) -> None:
        from planpal.chat.notices import register_all
        from planpal.chat.services import (
            conversation_create_for_group,
            conversation_delete_for_group,
        )
        from planpal.groups import hooks

        register_all()
        hooks.on_group_created(conversation_create_for_group)
        hooks.on_group_deleted(conversation_delete_for_group)
