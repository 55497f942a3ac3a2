"""Push tasks (queue `push`, away from lifecycle work): thin wrappers around the delivery
services. Each device gets its own task, so a slow or failing phone delays nobody else."""

from celery import shared_task

from planpal.core.background import enqueue
from planpal.notifications.push.delivery import push_claim, push_deliver
from planpal.notifications.selectors import lost_push_ids


@shared_task
def push_notification(notification_id: int) -> int:
    devices = push_claim(notification_id=notification_id)
    for device_id in devices:
        enqueue(deliver_push, notification_id=notification_id, device_id=device_id, attempt=1)
    return len(devices)


@shared_task
def push_notifications(notification_ids: list[int]) -> int:
    """The pushes planned by one notice (one task, however many people it told)."""
    return sum(push_notification(notification_id) for notification_id in notification_ids)


@shared_task
def deliver_push(notification_id: int, device_id: int, attempt: int = 1) -> str:
    outcome = push_deliver(notification_id=notification_id, device_id=device_id, attempt=attempt)
    if outcome is None:
        return "nothing to do"
    if outcome.retry_in is not None:
        enqueue(
            deliver_push,
            countdown=outcome.retry_in,
            notification_id=notification_id,
            device_id=device_id,
            attempt=attempt + 1,
        )
    return outcome.status


@shared_task
def rescue_lost_pushes() -> list[int]:
    """Hand every overdue, unclaimed, unread push to the push task again; the ids handed over.
    Safe to repeat and to race the original task: claiming (`push_claim`) happens once."""
    ids = lost_push_ids()
    for notification_id in ids:
        enqueue(push_notification, notification_id=notification_id)
    return ids
