from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "planpal.realtime"
    label = "realtime"

    def ready(self) -> None:
        from planpal.core.signals import domain_event
        from planpal.realtime.outbox import write_events

        domain_event.connect(write_events, dispatch_uid="planpal.realtime.outbox")
