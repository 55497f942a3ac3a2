"""Groups of friends, their memberships and invite links."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from planpal.realtime.selectors import StreamPosition


class Group(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=2000, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: the group topic's {topic, seq}, set by selectors.groups_snapshot.
    stream: "StreamPosition"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        MEMBER = "member"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.group_id} {self.role}"

    @property
    def is_manager(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


class Invite(models.Model):
    """An invite link. Only a SHA-256 of the token is stored: a leaked database yields no link."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(
        max_length=8, help_text="First characters, to tell links apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Not columns: only the answer to the invite's creation shows the token (stored hashed)
    # and its link.
    token: str
    url: str

    def __str__(self) -> str:
        return f"invite {self.token_prefix}… to {self.group_id}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at or self.expires_at <= now:
            return False
        return self.max_uses is None or self.uses < self.max_uses
