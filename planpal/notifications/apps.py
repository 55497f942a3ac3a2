from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "planpal.notifications"
    label = "notifications"

    def ready(self) -> None:
        from planpal.core import notices
        from planpal.notifications.listener import LISTENER
        from planpal.notifications.services import notices_apply
        from planpal.realtime import fanout

        # The apps' notice planners are applied here, to every written event that has one.
        fanout.register(LISTENER)
        notices.register_sink(notices_apply)
