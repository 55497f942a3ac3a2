"""Celery tasks of the plans app: thin wrappers that call the clock-driven services."""

from celery import shared_task
from django.db import DatabaseError

from planpal.plans import scheduling

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def advance_plan_lifecycle() -> int:
    return scheduling.plans_advance_due()


@shared_task(**RETRY)
def send_due_reminders() -> int:
    return scheduling.plan_reminders_send_due() + scheduling.activity_reminders_send_due()
