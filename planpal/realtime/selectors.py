"""Reads of the event log."""

from planpal.realtime.models import TopicSequence


def topic_head(topic: str) -> int:
    """The seq of the topic's latest event (0 when it has none). Read it *before* a snapshot: a
    client that subscribes `since` this value then misses nothing that happened after it."""
    seq = TopicSequence.objects.filter(topic=topic).values_list("last_seq", flat=True).first()
    return seq or 0


def stream_position(topic: str) -> dict:
    return {"topic": topic, "seq": topic_head(topic)}
