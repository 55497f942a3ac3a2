"""In-app notifications, push devices and notification preferences."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Notifications with one collapse key (a conversation's messages) fold into one unread row
    # with a count, and into one push per window.
    collapse_key = models.CharField(max_length=64, blank=True)
    count = models.PositiveIntegerField(default=1)
    push_due_at = models.DateTimeField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    # The event (realtime Event id) whose notice created this notification or last folded into
    # it; none for clock-driven notices. An event applied twice must not notify anyone twice.
    source_event = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_event", "user"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user", "collapse_key", "read_at"]),
            models.Index(fields=["push_due_at"]),  # the lost-push rescue sweep
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class Device(models.Model):
    class Platform(models.TextChoices):
        ANDROID = "android"
        IOS = "ios"
        WEB = "web"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    platform = models.CharField(max_length=10, choices=Platform.choices)
    token = models.CharField(max_length=512, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.platform} device of {self.user_id}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_group_ids = models.JSONField(default=list, blank=True)
    muted_plan_ids = models.JSONField(default=list, blank=True)
    disabled_kinds = models.JSONField(default=list, blank=True)
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class PushAttempt(models.Model):
    """One try at delivering a push to one device: what the push service answered and how long it
    took. Written for every attempt, successful or not, so failures can be counted and traced."""

    class Outcome(models.TextChoices):
        SENT = "sent"
        TRANSIENT = "transient", "Transient (may be retried)"
        REJECTED = "rejected", "Rejected (this message will never be accepted)"
        TOKEN_INVALID = "token_invalid", "Token invalid (device deactivated)"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="push_attempts")
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="push_attempts",
    )
    attempt = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # When it failed: the push service's HTTP status (none for a timeout or a refused
    # connection) and its error code (FCM's errorCode, or TIMEOUT, CONNECTION, AUTH).
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    # When it was sent: the push service's name for the message.
    message_id = models.CharField(max_length=200, blank=True)
    latency_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["device", "created_at"])]

    def __str__(self) -> str:
        return f"push {self.outcome} to device {self.device_id} (attempt {self.attempt})"
