"""Background work without a broker: the embedded scheduler runs the same periodic schedule as
Celery beat, and delayed tasks, inside the web process (DESIGN §1: the embedded default is fully
functional — plans still start and complete on time)."""

import asyncio
import logging
import time
from collections.abc import Coroutine, Mapping
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.module_loading import import_string

from planpal.core import metrics

log = logging.getLogger(__name__)

_scheduler: "EmbeddedScheduler | None" = None


class Task(Protocol):
    """What is used of a Celery task (`shared_task`), run here or handed to the broker."""

    name: str

    def __call__(self, **kwargs: Any) -> object: ...

    def apply_async(self, *, kwargs: dict[str, Any], countdown: float) -> object: ...


class EmbeddedScheduler:
    def __init__(self, schedule: Mapping[str, tuple[str, float]]) -> None:
        self.schedule = schedule
        self.loop = asyncio.get_running_loop()
        self.running: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.last_tick = time.monotonic()

    def start(self) -> None:
        self._spawn(self._tick_forever())

    async def _tick_forever(self) -> None:
        # Task names are their dotted paths (shared_task's default).
        schedule: dict[str, tuple[Task, float]] = {
            name: (import_string(task_name), period)
            for name, (task_name, period) in self.schedule.items()
        }
        last_run = {name: 0.0 for name in schedule}
        while True:
            now = self.last_tick = time.monotonic()
            for name, (task, period) in schedule.items():
                if now - last_run[name] >= period and name not in self.running:
                    last_run[name] = now
                    self._spawn(self._run(name, task, {}))
            await asyncio.sleep(0.5)

    async def _run(self, name: str, task: Task, kwargs: dict[str, Any]) -> None:
        self.running.add(name)
        started = time.monotonic()
        outcome = "success"
        try:
            await sync_to_async(_call, thread_sensitive=False)(task, kwargs)
        except Exception:
            outcome = "failure"
            log.exception("embedded task %s failed", name)
        finally:
            self.running.discard(name)
            metrics.tasks.labels(task.name, outcome).inc()
            metrics.task_latency.labels(task.name).observe(time.monotonic() - started)

    def submit(self, task: Task, kwargs: dict[str, Any], countdown: float) -> None:
        """Thread-safe: run `task(**kwargs)` in a worker thread after `countdown` seconds."""

        def schedule() -> None:
            self.loop.call_later(
                countdown, lambda: self._spawn(self._run(f"{task.name}:{id(kwargs)}", task, kwargs))
            )

        self.loop.call_soon_threadsafe(schedule)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _call(task: Task, kwargs: dict[str, Any]) -> None:
    close_old_connections()
    try:
        task(**kwargs)
    finally:
        close_old_connections()


def scheduler_tick_age() -> float | None:
    """Seconds since this process's embedded scheduler last looked at its schedule (None: no
    scheduler runs here)."""
    if _scheduler is None:
        return None
    return time.monotonic() - _scheduler.last_tick


def start_embedded_scheduler(schedule: Mapping[str, tuple[str, float]]) -> None:
    """`schedule`: name → (task's dotted path, period in seconds), Celery beat's schedule."""
    global _scheduler
    if _scheduler is None:
        _scheduler = EmbeddedScheduler(schedule)
        _scheduler.start()


def enqueue(task: Task, *, countdown: float = 0, **kwargs: Any) -> None:
    """Run a Celery task after the current transaction commits: through the broker in
    production, in this process in embedded mode (inline when no scheduler runs here, e.g. in a
    management command)."""
    if not settings.EMBEDDED:
        transaction.on_commit(lambda: _send(task, kwargs, countdown), robust=True)
        return

    def hand_over() -> None:
        if _scheduler is not None:
            _scheduler.submit(task, kwargs, countdown)
        else:
            task(**kwargs)

    transaction.on_commit(hand_over)


def _send(task: Task, kwargs: dict[str, Any], countdown: float) -> None:
    """Hand a task to the broker. The write it follows has committed: if the broker is down the
    request still succeeds, and the loss is logged and counted (every task is either re-planned
    by a periodic sweep or best effort, like a push)."""
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown)
    except Exception as exc:  # noqa: BLE001 - broker down: degrade, never fail the request
        metrics.task_enqueue_failures.labels(task.name).inc()
        log.warning("could not enqueue %s: %s", task.name, exc)
