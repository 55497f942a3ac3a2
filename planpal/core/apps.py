from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "planpal.core"
    label = "core"

    def ready(self) -> None:
        from planpal.core import metrics

        metrics.connect_celery_signals()
