from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "planpal.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from planpal.realtime import fanout
        from planpal.webhooks.outbox import LISTENER

        fanout.register(LISTENER)
