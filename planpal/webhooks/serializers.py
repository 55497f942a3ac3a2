"""Input (shape and types only) and output serializers of the webhooks API."""

from django.utils import timezone
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.core.serializers import StrictCharField
from planpal.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from planpal.webhooks.services import MAX_ROTATION_GRACE_SECONDS

EVENTS_HELP = 'Event names (group.* and plan.*), or ["*"] for all of them.'


# ---------------------------------------------------------------------------- input
class WebhookCreateInputSerializer(serializers.Serializer):
    url = StrictCharField(max_length=2000)
    events = serializers.ListField(
        child=StrictCharField(max_length=64), min_length=1, max_length=100, help_text=EVENTS_HELP
    )
    description = StrictCharField(max_length=200, required=False, allow_blank=True)


class WebhookUpdateInputSerializer(serializers.Serializer):
    url = StrictCharField(max_length=2000, required=False)
    events = serializers.ListField(
        child=StrictCharField(max_length=64),
        min_length=1,
        max_length=100,
        required=False,
        help_text=EVENTS_HELP,
    )
    description = StrictCharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class RotateSecretInputSerializer(serializers.Serializer):
    grace_seconds = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ROTATION_GRACE_SECONDS,
        required=False,
        help_text="How long the old secret keeps signing beside the new one (default a day).",
    )


# ---------------------------------------------------------------------------- output
class WebhookSerializer(serializers.ModelSerializer):
    created_by = PublicUserSerializer(read_only=True, allow_null=True)
    previous_secret_valid_until = serializers.SerializerMethodField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "group",
            "url",
            "description",
            "events",
            "active",
            "disabled_at",
            "disabled_reason",
            "previous_secret_valid_until",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_previous_secret_valid_until(self, endpoint) -> str | None:
        expires = endpoint.previous_secret_expires_at
        if not endpoint.previous_secret or expires is None or expires <= timezone.now():
            return None
        return serializers.DateTimeField().to_representation(expires)


class WebhookWithSecretSerializer(WebhookSerializer):
    """Only in the answers to create and rotate: the secret is never shown again."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event_name", read_only=True)
    next_attempt_at = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event",
            "topic",
            "seq",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_latency_ms",
            "last_error",
            "redelivery_of",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields

    def get_next_attempt_at(self, delivery) -> str | None:
        if delivery.status != WebhookDelivery.Status.PENDING:
            return None
        return serializers.DateTimeField().to_representation(delivery.next_attempt_at)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "status_code", "error", "response_excerpt", "latency_ms", "created_at"]
        read_only_fields = fields


class DeliveryDetailSerializer(DeliverySerializer):
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "attempt_log"]
        read_only_fields = fields
