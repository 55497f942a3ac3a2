"""Polls of a group or a plan: options, votes, and the day marks of date polls."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from planpal.plans.models import Plan


def cascade_at_once(collector, field, sub_objs, using) -> None:
    """CASCADE without its first step on backends that cannot defer constraint checks (MySQL,
    MariaDB): there Django sets a nullable key to NULL before deleting the row, and the
    poll_in_group_or_plan check refuses a poll in neither. Collected as not nullable instead,
    the polls are deleted before their group or plan."""
    collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=False,
        fail_on_restricted=False,
    )


class Poll(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice"  # pick among options (text, a date range, a place)
        DATES = "dates"  # "when can you go?": each member marks days yes / maybe / no

    # Exactly one of the two: where the poll lives decides its topic and who may vote.
    group = models.ForeignKey(
        "groups.Group", on_delete=cascade_at_once, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=cascade_at_once, null=True, blank=True, related_name="+"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHOICE)
    multiple = models.BooleanField(default=False, help_text="Choice polls: several options.")
    anonymous = models.BooleanField(default=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Date polls: the days members mark, and how many consecutive days the trip needs.
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    length_days = models.PositiveSmallIntegerField(default=1)
    # Bumped by every vote and by closing: a client keeps the results of the highest version.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # NULL, not "": the unique constraint ignores creates without a key.
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        indexes = [models.Index(fields=["closed_at", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, plan__isnull=True)
                | Q(group__isnull=True, plan__isnull=False),
                name="poll_in_group_or_plan",
            ),
            models.UniqueConstraint(fields=["creator", "client_id"], name="poll_idempotent_create"),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def place_pk(self) -> int:
        """The id of the group or plan the poll lives in (poll_in_group_or_plan: exactly one)."""
        place = self.group_id if self.group_id is not None else self.plan_id
        if place is None:
            raise ValueError(f"{self} lives in no group and no plan")
        return place

    @property
    def in_plan(self) -> "Plan":
        """A plan poll's plan; asking a group's poll for one is a bug."""
        if self.plan is None:
            raise ValueError(f"{self} is a group's poll")
        return self.plan

    @property
    def day_range(self) -> tuple[date, date]:
        """A date poll's first and last day (poll_create sets both for that kind)."""
        if self.first_day is None or self.last_day is None:
            raise ValueError(f"{self} is not a date poll")
        return self.first_day, self.last_day


class Option(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text"
        DATES = "dates"  # a date range: first_day .. last_day
        PLACE = "place"  # label is the place's name; lat/lng optional

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = models.CharField(max_length=200, blank=True)
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="option_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.first_day} to {self.last_day}"

    @property
    def day_range(self) -> tuple[date, date]:
        """A dates option's first and last day (poll_create checks both for that kind)."""
        if self.first_day is None or self.last_day is None:
            raise ValueError(f"{self} is not a date range")
        return self.first_day, self.last_day


class Vote(models.Model):
    """One chosen option of one member. Single-choice polls hold at most one per member (the
    service replaces the ballot under the poll's row lock)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "voter"], name="vote_once_per_option"),
        ]
        indexes = [models.Index(fields=["poll", "voter"])]

    def __str__(self) -> str:
        return f"vote {self.pk} in poll {self.poll_id}"


class DayMark(models.Model):
    """A member's answer for one day of a date poll."""

    class Answer(models.TextChoices):
        YES = "yes"
        MAYBE = "maybe"
        NO = "no"

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="day_marks")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    answer = models.CharField(max_length=5, choices=Answer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter", "day"], name="day_mark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.answer}"
