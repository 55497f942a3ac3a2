"""Celery tasks of the polls app: thin wrappers that call the clock-driven services."""

from celery import shared_task

from planpal.core.backoff import DATABASE_ERROR_RETRY
from planpal.polls import services


@shared_task(**DATABASE_ERROR_RETRY)
def close_due_polls() -> int:
    return services.polls_close_due()
