from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "planpal.chat"
    label = "chat"

    def ready(self) -> None:
        from planpal.chat.notices import register_all

        register_all()
