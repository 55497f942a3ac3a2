"""Users and friendships."""

import unicodedata
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q


def normalize_username(username: str) -> str:
    """NFKC + casefold: "Alice", "ALICE" in fullwidth letters and "alice" are one name. Stored
    this way, and how a typed name is looked up."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


class PlanPalUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        """The account a typed name signs in to: its normalised form, else (an account named
        before names were normalised, kept as it was because it collided) the name as typed."""
        # Django's backends never ask for None; it is no account either way.
        normalized = normalize_username(username) if username is not None else None
        try:
            return self.get(username=normalized)
        except self.model.DoesNotExist:
            return self.get(username=username)


class User(AbstractUser):
    display_name = models.CharField(max_length=80, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    # "en" or "vi" (settings.LANGUAGES): the API answers in it and notifications, pushes and
    # mails to this user are written in it. "" = not chosen: requests follow Accept-Language,
    # texts for this user are in English (docs/i18n.md).
    language = models.CharField(max_length=8, blank=True, default="")
    # Carried in access and refresh tokens and in WebSocket tickets, and compared on every use:
    # raising it revokes them all at once (password changed or reset).
    token_version = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[PlanPalUserManager] = PlanPalUserManager()

    @classmethod
    def normalize_username(cls, username: str) -> str:
        return normalize_username(username) if isinstance(username, str) else username

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def public_name(self) -> str:
        return self.display_name or self.username


class Friendship(models.Model):
    """One row per pair, stored canonically (user_low.id < user_high.id)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"
        BLOCKED = "blocked"

    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_low", "user_high"], name="friendship_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(user_low__lt=F("user_high")), name="friendship_canonical"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id}-{self.user_high_id} {self.status}"

    def other(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id
