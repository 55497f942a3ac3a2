"""Event-log reads used by the gateway (sync; called through sync_to_async)."""

from django.conf import settings

from planpal.realtime.models import Event
from planpal.realtime.publisher import wire
from planpal.realtime.selectors import topic_head

__all__ = ["bus_messages_after", "replay", "topic_head"]


def bus_messages_after(
    topic: str, after_seq: int, before_seq: int | None
) -> list[tuple[int, str, str]]:
    """(seq, revoked, frame) of the topic's events with after_seq < seq < before_seq."""
    rows = Event.objects.filter(topic=topic, seq__gt=after_seq).order_by("seq")
    if before_seq is not None:
        rows = rows.filter(seq__lt=before_seq)
    return [wire(row) for row in rows[: settings.REALTIME["MAX_REPLAY"] + 1]]


def replay(topic: str, since: int) -> tuple[list[tuple[int, str, str]], int, bool]:
    """What a client that saw everything up to `since` missed: (events, head, recovered).

    recovered is False when the log no longer holds every event after `since` (retention) or
    when there are more than MAX_REPLAY of them; the client then reloads the resource over REST.
    """
    head = topic_head(topic)
    if since >= head:
        return [], head, since == head
    rows = bus_messages_after(topic, since, head + 1)
    complete = bool(rows) and rows[0][0] == since + 1 and rows[-1][0] == head
    complete = complete and len(rows) <= settings.REALTIME["MAX_REPLAY"]
    if not complete:
        return [], head, False
    return rows, head, True
