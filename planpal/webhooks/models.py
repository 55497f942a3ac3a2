"""Outbound webhooks: endpoints a group's managers register, and the log of what was sent.

A delivery row is written in the same transaction as the event it carries (webhooks/outbox.py),
so a committed change always has its deliveries and a rolled-back one has none. Deliveries of
one endpoint leave strictly one at a time, oldest first (webhooks/delivery.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class WebhookEndpoint(models.Model):
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="webhooks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    url = models.CharField(max_length=2000)  # checked by webhooks.transport.check_url
    description = models.CharField(max_length=200, blank=True)
    # Event names this endpoint receives, or ["*"] for every group.* and plan.* event.
    events = models.JSONField(default=list)
    # Signing secrets. The clear secret is needed to sign, so it is stored; the API shows it
    # only once (create, rotate). After a rotation the previous one keeps signing beside the new
    # one until previous_secret_expires_at, so receivers can switch without dropping requests.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    # The lease of the one task allowed to deliver for this endpoint right now.
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"webhook {self.pk} of group {self.group_id}: {self.url}"

    def wants(self, event_name: str) -> bool:
        return "*" in self.events or event_name in self.events

    def signing_secrets(self) -> list[str]:
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > timezone.now():
            secrets.append(self.previous_secret)
        return secrets


class WebhookDelivery(models.Model):
    """One event to send to one endpoint. `event_id` is the idempotency id receivers dedupe by:
    a redelivery (manual or after a crash) carries the same one."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4)
    event_name = models.CharField(max_length=64)
    topic = models.CharField(max_length=64)
    seq = models.BigIntegerField(null=True, blank=True)  # None for test events (not in the log)
    # The request body of events that are not in the event log (test events); logged events are
    # rendered from the log at send time, like every other subscriber gets them.
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    first_failed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "status", "id"], name="webhook_queue"),
            models.Index(fields=["created_at"], name="webhook_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_name} {self.topic}#{self.seq} → webhook {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what the receiver answered and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    response_excerpt = models.CharField(max_length=200, blank=True)
    latency_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}: {self.status_code}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
