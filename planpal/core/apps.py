from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "planpal.core"
    label = "core"
