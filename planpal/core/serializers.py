"""DRF pieces every app's serializers share: database-id inputs, text that must be text, and the
`stream` field of resources a client follows live."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from planpal.core.validation import MAX_CLIENT_ID

# Database ids are signed 64-bit; a bigger number is simply an unknown id, never a crash.
MAX_ID = 2**63 - 1
# Versions of plans, activities and messages (optimistic concurrency).
MAX_VERSION = 2**31 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An input field for a database id (1 .. MAX_ID)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def version_field(**kwargs: Any) -> serializers.IntegerField:
    """The version a write was decided on (1 .. MAX_VERSION); a stale one is a 409."""
    kwargs.setdefault("help_text", "The version you last saw; 409 if stale.")
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, **kwargs)


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of quietly turning them into text."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MomentField(serializers.DateTimeField):
    """An ISO 8601 date-time. With an offset ("…+07:00", "…Z") it is that instant; without one
    it stays naive, a wall-clock time the service reads in the plan's time zone
    (`planpal.core.validation.in_zone`) — DRF alone would read it as UTC."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            "ISO 8601. Without an offset: a wall-clock time in the plan's time zone.",
        )
        super().__init__(**kwargs)

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


class StreamSerializer(serializers.Serializer[Any]):
    """`{"topic", "seq"}` from `planpal.realtime.selectors.stream_position`, read before the
    snapshot it accompanies."""

    topic = serializers.CharField(read_only=True)
    seq = serializers.IntegerField(read_only=True)


def stream_from(context: Mapping[str, Any], topic: str) -> dict[str, Any]:
    """The stream of `topic` that the view read *before* the snapshot (`context["streams"]`,
    {topic: {"topic", "seq"}}). A serializer never reads a stream itself: read after the
    snapshot, it would let a client subscribing `since` it miss what happened in between. A
    missing one is the view's bug, not something to paper over."""
    streams: Mapping[str, dict[str, Any]] = context.get("streams") or {}
    if topic not in streams:
        raise LookupError(f"No stream for {topic} in the context: read it before the snapshot.")
    return streams[topic]


def client_id_field() -> "StrictCharField":
    """The optional idempotency key of a create (`planpal.core.validation.clean_client_id`)."""
    return StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=MAX_CLIENT_ID,
        help_text="Makes retries safe; the Idempotency-Key header is used when this is absent.",
    )
