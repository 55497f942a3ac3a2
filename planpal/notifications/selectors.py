"""Reads of a user's notifications, devices and preferences, and the checks the notification
planner makes before notifying someone (mutes, per-kind opt-outs, quiet hours)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet
from django.utils import timezone

from planpal.notifications.models import Device, Notification, NotificationPreference


def notifications_for_user(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    queryset = Notification.objects.filter(user=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-id")


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# A planned push still unclaimed this long after it was due lost its task (broker outage, a
# worker's queue flushed): the rescue sweep hands it over again, for as long as it is still news.
PUSH_RESCUE_AFTER = timedelta(minutes=2)
PUSH_RESCUE_WITHIN = timedelta(hours=1)
PUSH_RESCUE_BATCH = 500


def lost_push_ids() -> list[int]:
    """Notifications whose planned push is overdue, unclaimed and still unread (and recent)."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            pushed_at__isnull=True,
            read_at__isnull=True,
            push_due_at__lt=now - PUSH_RESCUE_AFTER,
            push_due_at__gte=now - PUSH_RESCUE_WITHIN,
        )
        .order_by("push_due_at")
        .values_list("pk", flat=True)[:PUSH_RESCUE_BATCH]
    )


def devices_for_user(*, user) -> QuerySet[Device]:
    return Device.objects.filter(user=user).order_by("-last_seen_at", "-id")


def preferences_get(*, user) -> NotificationPreference:
    """The user's preferences; defaults (not saved) when they never changed any."""
    preferences = NotificationPreference.objects.filter(user=user).first()
    return preferences or NotificationPreference(user=user)


def preferences_of(user_ids: list[int]) -> dict[int, NotificationPreference]:
    """The saved preferences of those users who changed any, in one query."""
    return {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}


def notification_wanted(
    *, user, kind: str, group_id: int | None = None, plan_id: int | None = None
) -> bool:
    """False if the user opted out of this kind or muted the group or plan it is about."""
    return preferences_allow(preferences_get(user=user), kind, group_id, plan_id)


def preferences_allow(
    preferences: NotificationPreference | None, kind: str, group_id: int | None, plan_id: int | None
) -> bool:
    """`notification_wanted` for preferences already read (None: the defaults)."""
    if preferences is None:
        return True
    if kind in preferences.disabled_kinds:
        return False
    if group_id is not None and group_id in preferences.muted_group_ids:
        return False
    return plan_id is None or plan_id not in preferences.muted_plan_ids


def in_quiet_hours(*, user, at: datetime | None = None) -> bool:
    """Whether `at` (default now) falls in the user's quiet hours, in the user's own timezone.
    A window may cross midnight (22:00-07:00). Push waits; the in-app notification does not."""
    preferences = preferences_get(user=user)
    start, end = preferences.quiet_hours_start, preferences.quiet_hours_end
    if start is None or end is None:
        return False
    try:
        zone = ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local: time = (at or timezone.now()).astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end
