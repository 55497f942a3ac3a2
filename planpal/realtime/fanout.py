"""Reactions to written events: the apps above the event log (notifications, webhooks) register a
listener here in `AppConfig.ready()`, and the outbox hands every event row it writes to the
listeners that want it. Listeners get the stored row (topic, seq, id, payload), never re-read it,
and do not depend on the order in which apps are installed.

A listener runs either inside the writing transaction (the webhook outbox: a few rows per
endpoint) or after commit (`after_commit`: notifications, whose work grows with the number of
people told and must not lengthen the write nor hold its locks). For the latter the row itself is
the trigger: it is written with `fanout_pending` set, and `run_pending` hands pending rows to the
listeners and clears the flag in one transaction. After each commit that wrote such rows, a web
process's fan-out thread either runs it (embedded) or hands it to a Celery worker
(`FANOUT_IN_WORKER`, the default with a broker: the task `realtime.tasks.fan_out`), so that the
web process's CPU goes to requests and connections; other processes run it inline after commit.
The outbox sweeper (hub housekeeping) runs it for rows a crash or a lost task left behind. Each
topic's rows are handled in seq order, exactly once: the claim locks them, and a row no longer
pending is skipped, so a duplicate task finds nothing to do.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from planpal.core import metrics
from planpal.core.db import (
    is_database_unavailable,
    is_transient_conflict,
    reconnecting,
    retry_transaction,
)
from planpal.realtime.models import Event

log = logging.getLogger(__name__)

BATCH = 100  # rows per fan-out transaction
SWEEP_AFTER = timedelta(seconds=5)  # a pending row this old lost its after-commit run


@dataclass(frozen=True)
class Listener:
    """`wants(name, topic)`: whether rows of this event name on this topic concern it (cheap, no
    queries). `handle(rows)`: react to the rows it wants, given in log order; inside the writing
    transaction, or with `after_commit` in a transaction of its own after the write committed."""

    name: str
    wants: Callable[[str, str], bool]
    handle: Callable[[list[Event]], None]
    after_commit: bool = False


_listeners: dict[str, Listener] = {}


def register(listener: Listener) -> None:
    _listeners[listener.name] = listener


def listeners_for(row: Event, *, after_commit: bool = False) -> list[Listener]:
    return [
        listener
        for listener in _listeners.values()
        if listener.after_commit == after_commit and listener.wants(row.name, row.topic)
    ]


def each_row_alone(rows: list[Event], apply: Callable[[Event], object], what: str) -> None:
    """Apply `apply` to every row in a savepoint of its own, so that one event that cannot be
    applied holds up no other (the batch is taken in the same order each time: a row that
    always fails would otherwise stop every later one). A deadlock or a lost database fails the
    whole batch, which is retried."""
    for row in rows:
        try:
            with transaction.atomic():
                apply(row)
        except IntegrityError:
            # A (source event, user)-style constraint: this was applied already.
            log.warning("%s of event %s (%s) were applied already", what, row.id, row.name)
        except Exception as exc:
            if is_transient_conflict(exc) or is_database_unavailable(exc):
                raise
            log.exception("%s of event %s (%s) could not be applied", what, row.id, row.name)


def owed_after_commit(row: Event) -> bool:
    return bool(listeners_for(row, after_commit=True))


def hand_over(rows: list[Event]) -> None:
    """Inside the writing transaction: the in-transaction listeners now, the others after
    commit (the rows' `fanout_pending` flag is their claim ticket)."""
    for listener in _listeners.values():
        if not listener.after_commit:
            wanted = [row for row in rows if listener.wants(row.name, row.topic)]
            if wanted:
                listener.handle(wanted)
    if any(row.fanout_pending for row in rows):
        transaction.on_commit(_after_commit, robust=True)


# ---------------------------------------------------------------------------- the claim
def run_pending(*, older_than: timedelta | None = None) -> int:
    """Hand every pending row (only those older than `older_than`: the sweep) to the after-commit
    listeners, batch by batch; how many rows were handled."""
    handled = 0
    while True:
        count = retry_transaction(lambda: _run_batch(older_than))
        handled += count
        if count < BATCH:
            return handled


def _run_batch(older_than: timedelta | None) -> int:
    with transaction.atomic():
        pending = Event.objects.select_for_update().filter(fanout_pending=True)
        if older_than is not None:
            pending = pending.filter(created_at__lte=timezone.now() - older_than)
        # Another process's batch holds the rows it claimed: this waits for its commit, then
        # sees them done (locking reads return the newest committed row), so a topic's rows are
        # never handled out of order or twice.
        rows = [row for row in pending.order_by("topic", "seq")[:BATCH] if row.fanout_pending]
        if not rows:
            return 0
        rows = in_log_order(rows)
        for listener in _listeners.values():
            if listener.after_commit:
                wanted = [row for row in rows if listener.wants(row.name, row.topic)]
                if wanted:
                    listener.handle(wanted)
        Event.objects.filter(id__in=[row.id for row in rows]).update(fanout_pending=False)
        return len(rows)


def in_log_order(rows: list[Event]) -> list[Event]:
    """Oldest first, but each topic strictly by seq (the clocks of two hosts may disagree)."""
    by_time = sorted(rows, key=lambda row: row.created_at)
    by_topic: dict[str, list[Event]] = {}
    for row in sorted(rows, key=lambda row: (row.topic, row.seq), reverse=True):
        by_topic.setdefault(row.topic, []).append(row)
    return [by_topic[row.topic].pop() for row in by_time]


def sweep_pending() -> int:
    """The sweeper's part (hub housekeeping, next to the outbox's republish): rows still pending
    `SWEEP_AFTER` after they were written. With `FANOUT_IN_WORKER` a worker gets one more task
    for them (the web process keeps its CPU; a worker that is only behind finds them done) and
    this returns 0; otherwise, or with the broker down, they are handled here."""
    if settings.FANOUT_IN_WORKER:
        stale = Event.objects.filter(
            fanout_pending=True, created_at__lte=timezone.now() - SWEEP_AFTER
        )
        if not stale.exists() or _to_worker():
            return 0
    return run_pending(older_than=SWEEP_AFTER)


# ---------------------------------------------------------------------------- after commit
class _Background:
    """One thread per web process runs the fan-out after commits, or hands it to a worker, so
    that a request's response never waits for either (not even for a broker that is down).
    Wake-ups while it runs fold into one more run."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.owed = 0
        self.thread = threading.Thread(target=self.loop, name="planpal-fanout", daemon=True)

    def hand(self) -> None:
        with self.lock:
            self.owed += 1
        self.wake.set()

    def loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            with self.lock:
                taken = self.owed
            try:
                fan_out_or_queue()
            except Exception:  # the rows stay pending: the next run or the sweep retries
                log.exception("fan-out after commit failed; the sweeper will retry")
            with self.lock:
                self.owed -= taken


_background: _Background | None = None


def fan_out_or_queue() -> None:
    """A web process's part after commits: a task for a worker (`FANOUT_IN_WORKER`), or the
    fan-out itself without one or when the broker refuses the task."""
    if not (settings.FANOUT_IN_WORKER and _to_worker()):
        reconnecting(run_pending)()


def _to_worker() -> bool:
    """Queue the fan-out for a Celery worker; False if the broker refused it (this process then
    does it itself: notifications keep flowing while the database is up)."""
    from planpal.realtime.tasks import fan_out

    try:
        fan_out.apply_async()
    except Exception as exc:  # noqa: BLE001 - broker down: degrade to the in-process fan-out
        metrics.task_enqueue_failures.labels(fan_out.name).inc()
        log.warning("fan-out not queued (%s); running it in this process", exc)
        return False
    return True


def start_background() -> None:
    """Web processes (ASGI lifespan). Elsewhere (Celery workers, management commands) the
    fan-out runs inline after the commit."""
    global _background
    if _background is None:
        _background = _Background()
        _background.thread.start()


def pending_count() -> int:
    """Commits handed to this process's fan-out thread and not yet fanned out (benchmarks)."""
    return _background.owed if _background is not None else 0


def _after_commit() -> None:
    if _background is not None:
        _background.hand()
    else:
        run_pending()
