"""Writes to the event log that are not domain events: retention."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from planpal.realtime.models import Event, TopicSequence


def events_prune(*, days: int | None = None, keep_per_topic: int | None = None) -> int:
    """Delete events older than `days`, but always keep each topic's newest `keep_per_topic`
    (DESIGN §6: at least 7 days and 1000 events per topic). Replays older than what is left
    answer `recovered: false`. Returns how many rows were deleted."""
    days = settings.EVENT_RETENTION_DAYS if days is None else days
    keep = settings.EVENT_RETENTION_MIN_PER_TOPIC if keep_per_topic is None else keep_per_topic
    cutoff = timezone.now() - timedelta(days=days)
    old_topics = (
        Event.objects.filter(created_at__lt=cutoff).values("topic").annotate(newest=Max("seq"))
    )
    deleted = 0
    for row in old_topics.iterator():
        head = TopicSequence.objects.filter(topic=row["topic"]).values_list("last_seq", flat=True)
        keep_from = (head.first() or row["newest"]) - keep + 1
        count, _ = Event.objects.filter(
            topic=row["topic"], created_at__lt=cutoff, seq__lt=keep_from
        ).delete()
        deleted += count
    return deleted
