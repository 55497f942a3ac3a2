"""Publishing committed events: serialise once, put on the bus, mark published.

Runs after commit (never inside the writer's transaction). On any failure the rows stay
unpublished and the sweeper republishes them; delivery is at-least-once and hubs drop duplicates.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from planpal.core import metrics
from planpal.core.events import revoked_by
from planpal.realtime import bus
from planpal.realtime.frames import event_frame
from planpal.realtime.models import Event

log = logging.getLogger(__name__)


def wire(row: Event) -> tuple[int, str, str]:
    """(seq, revoked, frame): everything a hub needs to order, deliver and revoke."""
    return row.seq, revoked_by(row.name, row.payload, row.topic), event_frame(row)


def bus_message(row: Event) -> tuple[str, str]:
    return row.topic, bus.event_message(*wire(row))


def publish_events(rows: list[Event], *, path: str = "commit") -> bool:
    try:
        bus.send([bus_message(row) for row in rows])
    except bus.NoHubHere:
        metrics.events_published.labels(path, "no_hub").inc(len(rows))
        return False
    except Exception as exc:  # noqa: BLE001 - any bus failure means "leave it to the sweeper"
        metrics.events_published.labels(path, "failed").inc(len(rows))
        log.warning("publish failed, %d event(s) left for the sweeper: %s", len(rows), exc)
        return False
    metrics.events_published.labels(path, "ok").inc(len(rows))
    Event.objects.filter(id__in=[row.id for row in rows]).update(published_at=timezone.now())
    return True


def publish_on_commit(rows: list[Event]) -> None:
    transaction.on_commit(lambda: publish_events(rows), robust=True)


def republish_unpublished(*, older_than: timedelta = timedelta(seconds=5), limit: int = 500) -> int:
    """The sweeper: publish events whose own publish never happened (crash, bus outage)."""
    cutoff = timezone.now() - older_than
    rows = list(
        Event.objects.filter(published_at__isnull=True, created_at__lte=cutoff).order_by(
            "topic", "seq"
        )[:limit]
    )
    if rows and publish_events(rows, path="sweeper"):
        log.info("sweeper republished %d event(s)", len(rows))
        return len(rows)
    return 0
