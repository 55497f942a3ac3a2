from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "planpal.notifications"
    label = "notifications"

    def ready(self) -> None:
        from planpal.core.signals import domain_event
        from planpal.notifications.planner import on_domain_event

        domain_event.connect(on_domain_event, dispatch_uid="planpal.notifications.planner")
