from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "planpal.chat"
    label = "chat"
