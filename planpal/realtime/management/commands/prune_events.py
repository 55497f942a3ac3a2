"""Apply the event-log retention policy (EVENT_RETENTION_DAYS, EVENT_RETENTION_MIN_PER_TOPIC)."""

from typing import Any

from django.core.management.base import BaseCommand

from planpal.realtime.services import events_prune


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted {events_prune()} event(s)")
