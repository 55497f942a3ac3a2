"""Retry timing, one policy for every retry PlanPal plans itself (push sends, webhook deliveries),
and the options of the Celery tasks that retry on database errors (the clock-driven sweeps)."""

import random
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError


def retry_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    floor: float = 0.0,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after failed attempt number `attempt` (from 1): exponential backoff in a
    window of base·2^(attempt-1), of which the `floor` fraction is fixed and the rest jittered
    (0: full jitter, 0.5: equal jitter); at least the server's Retry-After and never more than
    `cap` — a countdown beyond the broker's visibility timeout would run twice."""
    window = min(cap, base * float(2 ** min(attempt - 1, 32)))
    jittered = window * (floor + (1 - floor) * rand())
    return min(cap, max(retry_after or 0.0, jittered))


# Celery options of a task that is a periodic sweep: a database error (deadlock victim, failover)
# is retried a few times with Celery's own jittered backoff, before the next sweep would run.
DATABASE_ERROR_RETRY: dict[str, Any] = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}
