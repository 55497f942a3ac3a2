"""Database helpers that every app may need."""

import asyncio
import contextlib
import functools
import itertools
import random
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import InterfaceError, OperationalError, connection

T = TypeVar("T")
P = ParamSpec("P")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

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


# Errors that mean "no usable connection" rather than "this statement is wrong". MySQL/MariaDB
# client errors are 2000-2999 (2002 can't connect, 2006 server gone, 2013 lost during query);
# the server's own: 1040 too many connections, 1053 shutting down, 1152/1159/1161 connection
# aborted or timed out, 1927 connection killed, 4031 disconnected for inactivity.
_UNAVAILABLE_MYSQL = {1040, 1053, 1152, 1159, 1161, 1927, 4031}
# PostgreSQL: class 08 (connection exception), 57P01-03 (shutdown, cannot connect now); a
# psycopg OperationalError without a sqlstate is a failure to connect or a lost connection.
_UNAVAILABLE_PG_PREFIXES = ("08", "57P01", "57P02", "57P03")


def is_database_unavailable(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection: the request was not done
    (its transaction, if any, rolled back) and may be retried once the database is back."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    code = cause.args[0] if cause.args else None
    if isinstance(code, int):  # MySQLdb: (errno, message)
        return 2000 <= code < 3000 or code in _UNAVAILABLE_MYSQL
    if hasattr(cause, "sqlstate") or hasattr(cause, "pgcode"):  # psycopg 3 / psycopg2
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        return state is None or state.startswith(_UNAVAILABLE_PG_PREFIXES)
    return False  # SQLite: "database is locked" and the like are not outages


# A connection used by a call this recently is taken as alive without the health check's
# ping: on a busy gateway thread the ping doubled every call's round trips (py-spy of a connect
# burst: 27.6 % of the samples in the ping, 18.1 % in the queries). One that died meanwhile fails
# its query and the call runs once more on a new connection (below); the trade pgbouncer makes
# with `server_check_delay`. Idle longer, it is pinged first, as a request start would.
RECENTLY_USED_SECONDS = 5.0
_last_answer = threading.local()


def _prepare_connection() -> None:
    """What a request start does for this thread's connection: drop it once older than
    CONN_MAX_AGE or unusable after an error, and health-check it on first use unless a call used it
    within RECENTLY_USED_SECONDS."""
    connection.close_if_unusable_or_obsolete()
    current = connection.connection
    used_recently = time.monotonic() - getattr(_last_answer, "at", 0.0) < RECENTLY_USED_SECONDS
    if current is not None and getattr(_last_answer, "connection", None) is current:
        connection.health_check_done = used_recently  # type: ignore[attr-defined]  # Django 4.1+, not in the stubs


def _note_answer() -> None:
    if connection.connection is not None:
        _last_answer.connection = connection.connection
        _last_answer.at = time.monotonic()


def reconnecting(function: Callable[P, T]) -> Callable[P, T]:
    """For read-only or idempotent database work in a pooled thread (`sync_to_async(...,
    thread_sensitive=False)`). Django checks and replaces connections only when a request starts
    or ends, which such threads never see: here each call does what a request start does (see
    `_prepare_connection`), and a call that finds its connection gone closes it and runs once
    more on a new connection (it may have died after its last answer or its health check)."""

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        if not connection.in_atomic_block:
            _prepare_connection()
        had_connection = connection.connection is not None
        try:
            result = function(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not is_database_unavailable(exc) or connection.in_atomic_block:
                raise
            with contextlib.suppress(Exception):
                connection.close()
            if not had_connection:
                raise
            result = function(*args, **kwargs)
        _note_answer()
        return result

    return call


def in_thread_pool(function: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """`function` as a coroutine run in a pooled thread, reconnecting as above: how the realtime
    gateway reads the database without blocking its event loop."""
    return sync_to_async(reconnecting(function), thread_sensitive=False)


class BatchedLookup(Generic[K, V]):
    """`await lookup(key)` from the event loop: the keys asked for during one turn of the loop,
    and while the previous trip is in flight, are answered together by one call of
    `fetch(keys) -> {key: value}` in a worker thread (as `in_thread_pool`), at most `max_keys`
    at a time. In a burst of connects each one's lookup was a thread hop and a query of its
    own; now a burst costs one of each. A fetch that raises fails every caller of its trip;
    a key the fetch left out fails its callers with KeyError."""

    def __init__(self, fetch: Callable[[list[K]], dict[K, V]], *, max_keys: int = 500) -> None:
        self.fetch = in_thread_pool(fetch)
        self.max_keys = max_keys
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiting: dict[K, list[asyncio.Future[V]]] = {}
        self.flusher: asyncio.Task[None] | None = None

    async def __call__(self, key: K) -> V:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new loop (tests run several): nothing carries over
            self.loop, self.waiting, self.flusher = loop, {}, None
        future: asyncio.Future[V] = loop.create_future()
        self.waiting.setdefault(key, []).append(future)
        if self.flusher is None:
            self.flusher = loop.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            await asyncio.sleep(0)  # let the rest of this turn's lookups queue up
            while self.waiting:
                keys = list(itertools.islice(self.waiting, self.max_keys))
                callers = {key: self.waiting.pop(key) for key in keys}
                failure: Exception | None = None
                try:
                    found = await self.fetch(keys)
                except Exception as exc:  # noqa: BLE001 - each caller raises it
                    found, failure = {}, exc
                for key, futures in callers.items():
                    for future in futures:
                        if future.done():  # the caller went away meanwhile
                            continue
                        if key in found:
                            future.set_result(found[key])
                        else:
                            future.set_exception(failure or KeyError(key))
        finally:
            self.flusher = None
