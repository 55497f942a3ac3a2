"""Prometheus metrics: every metric PlanPal exports is declared here (docs/operations.md lists
them), and `render()` answers GET /metrics.

Several processes (uvicorn workers, Celery prefork children) each count on their own, so in
production prometheus-client runs in multiprocess mode: `PROMETHEUS_MULTIPROC_DIR` names a
directory where every process writes its values, and a scrape of any one web process sums them.
`planpal web` and `planpal worker` set that directory up (and empty it) before the first import
of prometheus_client — the mode is chosen at import time. Without it (tests, `planpal run`)
the process's own registry is exported.
"""

import os
import time
from collections.abc import Iterable
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.registry import Collector

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

# ---------------------------------------------------------------------------- HTTP
http_requests = Counter(
    "planpal_http_requests_total",
    "HTTP requests answered, by route pattern, method and status code.",
    ["method", "route", "status"],
)
http_latency = Histogram(
    "planpal_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern and method.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
rate_limited = Counter(
    "planpal_rate_limited_total",
    "Requests refused with 429 (REST) or frames/connections refused (WebSocket, SSE), by limit.",
    ["limit"],
)

# ---------------------------------------------------------------------------- WebSocket gateway
ws_connections = Gauge(
    "planpal_ws_connections",
    "Admitted live connections open now (WebSockets and SSE streams).",
    multiprocess_mode="livesum",
)
ws_subscriptions = Gauge(
    "planpal_ws_subscriptions",
    "Topic subscriptions of open connections (the automatic user topic included).",
    multiprocess_mode="livesum",
)
ws_connects = Counter(
    "planpal_ws_connects_total",
    "WebSocket connection attempts, by result: accepted, unauthenticated, forbidden, "
    "too_many_connections (per-user limit), shed (per-process connect rate), address_throttled "
    "(too many handshakes refused for their credential from the address).",
    ["result"],
)
ws_closes = Counter(
    "planpal_ws_server_closes_total",
    "Connections the server closed, by close code (4009 = slow consumer, 4008 = rate limited, "
    "1009 = frame too large, 1001 = idle, 1012 = restart, 1013 = shed).",
    ["code"],
)
replays = Counter(
    "planpal_realtime_replays_total",
    "Subscriptions with `since`, by whether the log could replay (recovered=false: the client "
    "reloads over REST).",
    ["recovered"],
)

# ---------------------------------------------------------------------------- events
events_published = Counter(
    "planpal_events_published_total",
    "Events put on the bus after commit (path=commit) or by the outbox sweeper (path=sweeper); "
    "result=failed: left unpublished for the sweeper.",
    ["path", "result"],
)
events_dispatched = Counter(
    "planpal_events_dispatched_total",
    "Events a hub handed to its local subscribers (once per event and process).",
)
frames_delivered = Counter(
    "planpal_event_frames_delivered_total",
    "Event frames queued for connections (one per event and subscribed connection).",
)
delivery_latency = Histogram(
    "planpal_event_delivery_latency_seconds",
    "From the event's commit (Event.created_at, the frame's ts) to the hub writing the frame to "
    "its local connections' send queues.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# ---------------------------------------------------------------------------- background work
push_attempts = Counter(
    "planpal_push_attempts_total",
    "Push sends to FCM (or the log transport), by outcome (PushAttempt.Outcome).",
    ["outcome"],
)
tasks = Counter(
    "planpal_tasks_total",
    "Background task runs (Celery, or the embedded scheduler), by task and outcome "
    "(success, failure, retry).",
    ["task", "outcome"],
)
task_latency = Histogram(
    "planpal_task_duration_seconds",
    "Run time of background tasks.",
    ["task"],
    buckets=LATENCY_BUCKETS,
)
task_enqueue_failures = Counter(
    "planpal_task_enqueue_failures_total",
    "Tasks that could not be handed to the broker (Redis down) and were dropped.",
    ["task"],
)

# ---------------------------------------------------------------------------- cache, Redis
cache_requests = Counter(
    "planpal_cache_requests_total",
    "Response-cache lookups, by cache and result (hit, miss).",
    ["cache", "result"],
)
redis_failures = Counter(
    "planpal_redis_failures_total",
    "Redis calls that failed and were answered without Redis (failing open), by component.",
    ["component"],
)


def registry() -> CollectorRegistry:
    if not MULTIPROCESS:
        return REGISTRY
    from prometheus_client import multiprocess

    scrape = CollectorRegistry()
    multiprocess.MultiProcessCollector(scrape)
    return scrape


def render(extra: Iterable[Collector] = ()) -> tuple[bytes, str]:
    """The exposition text of every process's metrics, plus `extra` collectors read at scrape
    time in this process (ops adds the outbox gauges)."""
    scrape = CollectorRegistry()
    body = generate_latest(registry())
    for collector in extra:
        scrape.register(collector)
    return body + generate_latest(scrape), CONTENT_TYPE_LATEST


def process_exited() -> None:
    """Multiprocess mode: drop this process's live gauges (open connections) from the sums."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())


# ---------------------------------------------------------------------------- Celery signals
class _Task(Protocol):
    name: str


def connect_celery_signals() -> None:
    """Count task outcomes and run times in whichever process runs the task."""
    from celery import signals

    started: dict[str | None, float] = {}

    def prerun(task_id: str | None = None, **_: object) -> None:
        started[task_id] = time.monotonic()

    def postrun(
        task_id: str | None = None,
        task: _Task | None = None,
        state: str | None = None,
        **_: object,
    ) -> None:
        begun = started.pop(task_id, None)
        if begun is not None and task is not None:
            task_latency.labels(task.name).observe(time.monotonic() - begun)

    def success(sender: _Task, **_: object) -> None:
        tasks.labels(sender.name, "success").inc()

    def failure(sender: _Task, **_: object) -> None:
        tasks.labels(sender.name, "failure").inc()

    def retry(sender: _Task, **_: object) -> None:
        tasks.labels(sender.name, "retry").inc()

    signals.task_prerun.connect(prerun, weak=False)
    signals.task_postrun.connect(postrun, weak=False)
    signals.task_success.connect(success, weak=False)
    signals.task_failure.connect(failure, weak=False)
    signals.task_retry.connect(retry, weak=False)
