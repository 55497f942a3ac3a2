"""Webhook tasks (default queue): thin wrappers around the delivery service. A task per
endpoint; its lease makes extra tasks for the same endpoint return at once, so enqueueing one
after every event is cheap and never reorders anything."""

from celery import shared_task
from django.conf import settings

from planpal.core import background
from planpal.core.background import enqueue
from planpal.core.backoff import DATABASE_ERROR_RETRY
from planpal.webhooks.delivery import deliveries_run, endpoints_due


@shared_task(**DATABASE_ERROR_RETRY)
def deliver_webhooks(endpoint_id: int) -> float | None:
    countdown = deliveries_run(endpoint_id=endpoint_id)
    if countdown is not None and (countdown == 0 or _can_wait()):
        enqueue(deliver_webhooks, countdown=countdown, endpoint_id=endpoint_id)
    return countdown


@shared_task(**DATABASE_ERROR_RETRY)
def sweep_webhooks() -> int:
    """Restart endpoints whose task was lost (crash, restart of an embedded server)."""
    due = endpoints_due()
    for endpoint_id in due:
        enqueue(deliver_webhooks, endpoint_id=endpoint_id)
    return len(due)


def _can_wait() -> bool:
    """Embedded mode in a process without the scheduler (a management command, a test) runs
    tasks inline, ignoring countdowns: a retry there is left to the web process's sweep."""
    return not settings.EMBEDDED or background._scheduler is not None
