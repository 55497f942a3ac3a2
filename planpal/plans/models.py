"""Trip plans and their activities."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A plan's status as a word of a sentence ("This plan is cancelled."), in the reader's language.
# Not the choices' labels: those are part of the migrations' state.
STATUS_NAMES = {
    "upcoming": gettext_lazy("upcoming"),
    "ongoing": gettext_lazy("ongoing"),
    "completed": gettext_lazy("completed"),
    "cancelled": gettext_lazy("cancelled"),
    "started": gettext_lazy("started"),
}


def status_name(status: str) -> str:
    return str(STATUS_NAMES.get(status, status))


def plan_closed_message(status: str) -> str:
    return _("This plan is %(status)s.") % {"status": status_name(status)}


class Plan(models.Model):
    class Status(models.TextChoices):
        UPCOMING = "upcoming"
        ONGOING = "ongoing"
        COMPLETED = "completed"
        CANCELLED = "cancelled"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="plans"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="personal_plans",
        help_text="Only for personal plans (no group): who besides the creator takes part.",
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPCOMING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "start_at"]),
            models.Index(fields=["status", "end_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=F("start_at")), name="plan_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED)


class Activity(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity"
        TRANSPORT = "transport"
        FOOD = "food"
        LODGING = "lodging"
        SIGHTSEEING = "sightseeing"
        OTHER = "other"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACTIVITY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location_name = models.CharField(max_length=200, blank=True)
    location_address = models.CharField(max_length=500, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    notes = models.TextField(max_length=5000, blank=True)
    position = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The creator's idempotency key. NULL, not "": the unique constraint ignores creates without.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["position", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["plan", "created_by", "client_id"], name="activity_idempotent_create"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SentReminder(models.Model):
    """Claim of one reminder, written in the same transaction as its notifications: a second
    sweep (overlapping, or a redelivered task) hits the unique key and sends nothing; a sweep
    that dies mid-way rolls its claim back and the next one sends."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
