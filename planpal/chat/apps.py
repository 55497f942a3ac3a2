from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "planpal.chat"
    label = "chat"

    def ready(self) -> None:
        from planpal.chat import selectors
        from planpal.chat.notices import register_all
        from planpal.chat.services import (
            ATTACHMENT_KIND,
            conversation_create_for_group,
            conversation_delete_for_group,
        )
        from planpal.files import attachments
        from planpal.groups import hooks

        register_all()
        hooks.on_group_created(conversation_create_for_group)
        hooks.on_group_deleted(conversation_delete_for_group)
        # Who may see a message's file, and which files messages still show.
        attachments.register(
            attachments.AttachmentKind(
                name=ATTACHMENT_KIND,
                may_see=selectors.attachment_visible_to,
                in_use=selectors.attachments_in_use,
            )
        )
