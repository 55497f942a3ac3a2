"""Database helpers that every app may need."""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")

# MySQL/MariaDB: 1213 deadlock, 1205 lock wait timeout. PostgreSQL: deadlock, serialization.
_RETRYABLE_MYSQL = {1205, 1213}
_RETRYABLE_PG = {"40P01", "40001"}


def is_transient_conflict(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    if getattr(cause, "args", None) and cause.args[0] in _RETRYABLE_MYSQL:
        return True
    return (
        getattr(cause, "sqlstate", None) in _RETRYABLE_PG
        or getattr(cause, "pgcode", None) in _RETRYABLE_PG
    )


def retry_transaction(function: Callable[[], T], *, attempts: int = 4) -> T:
    """Run a whole transaction again when the database chose it as a deadlock victim (InnoDB
    does this even for correct code, e.g. concurrent inserts of one unique key). Only valid at
    the outermost level: inside an atomic block the victim's work is already gone."""
    for attempt in range(attempts):
        try:
            return function()
        except OperationalError as exc:
            last = attempt == attempts - 1
            if last or connection.in_atomic_block or not is_transient_conflict(exc):
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
    raise AssertionError("unreachable")
