"""Celery tasks of the checklists app: thin wrappers that call the clock-driven services."""

from celery import shared_task
from django.db import DatabaseError

from planpal.checklists.reminders import checklist_reminders_send_due


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def send_checklist_reminders() -> int:
    return checklist_reminders_send_due()
