from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "planpal.notifications"
    label = "notifications"

    def ready(self) -> None:
        from planpal.accounts import hooks as account_hooks
        from planpal.core import apicache, notices
        from planpal.notifications.listener import LISTENER
        from planpal.notifications.models import Notification
        from planpal.notifications.services import device_logged_out, notices_apply
        from planpal.realtime import fanout

        # The apps' notice planners are applied here, to every written event that has one.
        fanout.register(LISTENER)
        notices.register_sink(notices_apply)
        account_hooks.on_logged_out(device_logged_out)
        apicache.invalidate_topic_on(Notification, prefix="user", id_attribute="user_id")
