"""Reads of the event log."""

from typing import TypedDict

from planpal.realtime.models import TopicSequence


def topic_head(topic: str) -> int:
    """The seq of the topic's latest event (0 when it has none). Read it *before* a snapshot: a
    client that subscribes `since` this value then misses nothing that happened after it."""
    seq = TopicSequence.objects.filter(topic=topic).values_list("last_seq", flat=True).first()
    return seq or 0


class StreamPosition(TypedDict):
    """A resource's `stream`: its topic and the seq to subscribe `since` for what follows."""

    topic: str
    seq: int


def stream_position(topic: str) -> StreamPosition:
    return {"topic": topic, "seq": topic_head(topic)}


def stream_positions(topics: list[str]) -> dict[str, StreamPosition]:
    """`stream_position` for many topics in one query: {topic: {"topic", "seq"}}."""
    heads = dict(TopicSequence.objects.filter(topic__in=topics).values_list("topic", "last_seq"))
    return {topic: {"topic": topic, "seq": heads.get(topic, 0)} for topic in topics}
