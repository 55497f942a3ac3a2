"""Clean-up services run by the hourly housekeeping task."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from planpal.accounts.services import refresh_tokens_delete_expired
from planpal.files.services import uploads_delete_orphans
from planpal.groups.models import Invite
from planpal.notifications.models import Device
from planpal.realtime.services import events_prune
from planpal.webhooks.services import deliveries_prune

INVITE_KEEP_DAYS = 30


def invites_delete_dead() -> int:
    """Invites expired or revoked for a month are gone for good (tokens are hashed anyway)."""
    cutoff = timezone.now() - timedelta(days=INVITE_KEEP_DAYS)
    count, _ = Invite.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return count


def devices_deactivate_stale() -> int:
    """A push token not seen for DEVICE_STALE_DAYS is almost surely dead (FCM drops tokens
    inactive for 270 days): stop pushing to it."""
    cutoff = timezone.now() - timedelta(days=settings.DEVICE_STALE_DAYS)
    return Device.objects.filter(active=True, last_seen_at__lt=cutoff).update(active=False)


def housekeep() -> dict[str, int]:
    # WebSocket tickets need no clean-up: they live in the cache with a TTL.
    return {
        "events_pruned": events_prune(),
        "invites_deleted": invites_delete_dead(),
        "devices_deactivated": devices_deactivate_stale(),
        "webhook_deliveries_deleted": deliveries_prune(),
        "orphan_uploads_deleted": uploads_delete_orphans(),
        "expired_refresh_tokens_deleted": refresh_tokens_delete_expired(),
    }
