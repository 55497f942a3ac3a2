from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "planpal.core"
    label = "core"

    def ready(self) -> None:
        from planpal.core import apicache, heartbeat, metrics

        apicache.connect_receivers()
        metrics.connect_celery_signals()
        heartbeat.connect_celery_signals()
