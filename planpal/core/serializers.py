"""DRF pieces every app's serializers share: database-id inputs, text that must be text, and the
`stream` field of resources a client follows live."""

from rest_framework import serializers

from planpal.core.validation import MAX_CLIENT_ID

# Database ids are signed 64-bit; a bigger number is simply an unknown id, never a crash.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An input field for a database id (1 .. MAX_ID)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of quietly turning them into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StreamSerializer(serializers.Serializer):
    """`{"topic", "seq"}` from `planpal.realtime.selectors.stream_position`, read before the
    snapshot it accompanies."""

    topic = serializers.CharField(read_only=True)
    seq = serializers.IntegerField(read_only=True)


def client_id_field() -> "StrictCharField":
    """The optional idempotency key of a create (`planpal.core.validation.clean_client_id`)."""
    return StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=MAX_CLIENT_ID,
        help_text="Makes retries safe; the Idempotency-Key header is used when this is absent.",
    )
