"""From a planned push to sends: the last check before buzzing a phone, and one send per device."""

from django.db import transaction
from django.utils import timezone

from planpal.notifications.models import Device, Notification, PushAttempt
from planpal.notifications.push.services import PushOutcome, push_send
from planpal.notifications.selectors import in_quiet_hours
from planpal.realtime.presence import user_is_active


def push_claim(*, notification_id: int) -> list[int]:
    """The device ids to push this notification to — empty when it was read meanwhile, the user
    came back to the app, it is their quiet hours, or it was already pushed (a redelivered task).
    Claiming sets `pushed_at`, so the decision is made once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.pushed_at or notification.push_due_at is None:
            return []
        user = notification.user
        devices = list(Device.objects.filter(user=user, active=True).values_list("pk", flat=True))
        away = not user_is_active(user.pk)
        if notification.read_at is None and away and devices and not in_quiet_hours(user=user):
            notification.pushed_at = timezone.now()
            notification.save(update_fields=["pushed_at"])
            return devices
        # Not now: a later notification with the same collapse key may plan a new push.
        notification.push_due_at = None
        notification.save(update_fields=["push_due_at"])
        return []


def push_deliver(*, notification_id: int, device_id: int, attempt: int) -> PushOutcome | None:
    """Send one notification to one device, unless that already succeeded (a redelivered
    task never pushes twice) or it was read meanwhile: a retry after an FCM outage must not
    buzz a phone about something its user has already seen on another device."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.read_at is not None:
        return None
    device = Device.objects.filter(pk=device_id, user_id=notification.user_id).first()
    if device is None:
        return None
    already = PushAttempt.objects.filter(
        notification=notification, device=device, outcome=PushAttempt.Outcome.SENT
    )
    if already.exists():
        return None
    return push_send(
        device=device,
        title=notification.title,
        body=notification.body,
        data={
            "notification_id": notification.pk,
            "kind": notification.kind,
            "count": notification.count,
            **notification.data,
        },
        collapse_key=notification.collapse_key or f"notification-{notification.pk}",
        notification=notification,
        attempt=attempt,
    )
