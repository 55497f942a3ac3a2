"""Celery tasks of the polls app: thin wrappers that call the clock-driven services."""

from celery import shared_task
from django.db import DatabaseError

from planpal.polls import services


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def close_due_polls() -> int:
    return services.polls_close_due()
