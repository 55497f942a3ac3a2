"""Calendar feeds: private URLs that calendar apps poll for a user's plans (docs/calendars.md)."""

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """One feed URL of a user: all the plans they can see (`plan` empty) or one plan.

    The URL's token is never stored: it is an HMAC of `secret` with SECRET_KEY
    (`planpal.calendars.tokens`), so the database alone opens no feed, yet the owner can be
    shown the same URL again. `token_hash` (its SHA-256) is what a request is looked up by.
    """

    ALL_PLANS = "all"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "all" or "plan:<id>": unique per user on every database (MariaDB has no partial index
    # that a nullable `plan` would need).
    scope = models.CharField(max_length=32)
    secret = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    # The account's token_version when the URL was made: a password change or reset revokes it.
    token_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope"], name="calendar_feed_one_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.scope}"
