from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "planpal.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from planpal.core.signals import domain_event
        from planpal.webhooks.outbox import on_domain_event

        # After the realtime outbox (an earlier app): the event's row exists when this runs.
        domain_event.connect(on_domain_event, dispatch_uid="planpal.webhooks.outbox")
