from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "planpal.notifications"
    label = "notifications"
