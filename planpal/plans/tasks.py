"""Celery tasks of the plans app: thin wrappers that call the clock-driven services."""

from celery import shared_task

from planpal.core.backoff import DATABASE_ERROR_RETRY
from planpal.plans import scheduling


@shared_task(**DATABASE_ERROR_RETRY)
def advance_plan_lifecycle() -> int:
    return scheduling.plans_advance_due()


@shared_task(**DATABASE_ERROR_RETRY)
def send_due_reminders() -> int:
    return scheduling.plan_reminders_send_due() + scheduling.activity_reminders_send_due()
