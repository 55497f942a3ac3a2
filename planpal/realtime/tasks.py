"""Celery task of the realtime app: the fan-out after commit (`fanout.run_pending`) in a worker,
queued by a web process's fan-out thread when `FANOUT_IN_WORKER` is on. It takes no arguments:
the pending rows are the work, so a task that is lost leaves them to the sweeper, and one that
runs twice (redelivered, or queued by two commits) finds them done."""

from celery import shared_task

from planpal.core.backoff import DATABASE_ERROR_RETRY
from planpal.realtime import fanout


@shared_task(**DATABASE_ERROR_RETRY)  # type: ignore[untyped-decorator]  # Celery has no types
def fan_out() -> int:
    return fanout.run_pending()
