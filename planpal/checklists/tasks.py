"""Celery tasks of the checklists app: thin wrappers that call the clock-driven services."""

from celery import shared_task

from planpal.checklists.reminders import checklist_reminders_send_due
from planpal.core.backoff import DATABASE_ERROR_RETRY


@shared_task(**DATABASE_ERROR_RETRY)
def send_checklist_reminders() -> int:
    return checklist_reminders_send_due()
