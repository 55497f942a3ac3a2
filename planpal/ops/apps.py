from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations above the domain apps: health and readiness, /metrics, worker heartbeats,
    housekeeping and the demo seed. It may import any app; no app imports it."""

    name = "planpal.ops"
    label = "ops"

    def ready(self) -> None:
        from planpal.ops import heartbeat

        heartbeat.connect_celery_signals()
