"""Health endpoints and the metrics scrape.

- `health/live`: the process answers (no dependencies) — for restarting a hung process.
- `health/ready`: this process can do its job — database, Redis, a round trip through the event
  bus, a background worker seen recently, the outbox draining. 503 when a required check fails,
  so a load balancer stops sending traffic here (and a deploy waits before moving on). Anyone
  sees up/down per check; errors, latencies and figures (which name hosts and ports) only the
  holder of METRICS_TOKEN, and the log.
- `/metrics`: Prometheus exposition (planpal.core.metrics, plus the outbox gauges), outside the
  API prefix. It needs METRICS_TOKEN, except in the embedded default (a local demo bound to
  loopback).
"""

import asyncio
import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from prometheus_client.core import GaugeMetricFamily
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core import metrics, redis_clients
from planpal.core.background import scheduler_tick_age
from planpal.ops import heartbeat
from planpal.realtime import bus
from planpal.realtime.hub import local_hub
from planpal.realtime.models import Event

log = logging.getLogger(__name__)

OK, FAIL, SKIPPED = "ok", "fail", "skipped"
REDIS_TIMEOUT_SECONDS = 1.0
BUS_TIMEOUT_SECONDS = 2.0


class CheckFailed(Exception):
    """A check's own verdict (as opposed to an exception from the thing it checks)."""


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _redis():
    return redis_clients.client(
        socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )


def check_redis() -> dict | None:
    if not settings.REDIS_URL:
        return None
    client = _redis()
    try:
        client.ping()
    finally:
        client.close()
    return {}


def check_bus() -> dict | None:
    """A message through the same path events take to this process's hub. Embedded: the hub's
    event loop answers. A process without a hub (a management shell) does its own round trip."""
    hub = local_hub()
    if hub is not None and hub.loop.is_running():
        if hub.transport is None:
            waiter = asyncio.run_coroutine_threadsafe(asyncio.sleep(0), hub.loop)
            waiter.result(timeout=BUS_TIMEOUT_SECONDS)
            return {"path": "in-process hub"}
        waiter = asyncio.run_coroutine_threadsafe(
            hub.transport.round_trip(BUS_TIMEOUT_SECONDS), hub.loop
        )
        waiter.result(timeout=BUS_TIMEOUT_SECONDS + 0.5)
        return {"path": "redis pub/sub to this process's hub"}
    if not settings.REDIS_URL:
        return None
    return _standalone_round_trip()


def _standalone_round_trip() -> dict:
    client = _redis()
    channel = bus.CHANNEL_PREFIX + "_health:" + secrets.token_hex(6)
    pubsub = client.pubsub()
    try:
        pubsub.subscribe(channel)
        deadline = time.monotonic() + BUS_TIMEOUT_SECONDS
        client.publish(channel, "ping")
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=0.1)
            if message and message["type"] == "message":
                return {"path": "redis pub/sub"}
        raise CheckFailed("no message back from the bus")
    finally:
        pubsub.close()
        client.close()


def check_worker() -> dict | None:
    """Production: a Celery worker's heartbeat in Redis. Embedded: this process's scheduler."""
    max_age = settings.HEALTH["WORKER_MAX_AGE_SECONDS"]
    if settings.REDIS_URL:
        age = heartbeat.newest_worker_age()
        if age is None or age > max_age:
            seen = "never" if age is None else f"{age:.0f}s ago"
            raise CheckFailed(f"no worker heartbeat within {max_age}s (last: {seen})")
        return {"last_seen_seconds": round(age, 1)}
    age = scheduler_tick_age()
    if age is None:
        return None  # no embedded scheduler in this process (management command, tests)
    if age > max_age:
        raise CheckFailed(f"embedded scheduler stalled for {age:.0f}s")
    return {"last_seen_seconds": round(age, 1), "path": "embedded scheduler"}


def outbox_backlog() -> tuple[int, float]:
    """Events committed but not yet published, and the oldest one's age in seconds (0: none)."""
    pending = Event.objects.filter(published_at__isnull=True)
    backlog = pending.count()
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"] if backlog else None
    return backlog, max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def check_outbox() -> dict:
    backlog, age = outbox_backlog()
    detail = {"backlog": backlog, "oldest_age_seconds": round(age, 1)}
    limits = settings.HEALTH
    if backlog > limits["OUTBOX_MAX_BACKLOG"]:
        raise CheckFailed(f"{backlog} unpublished events", detail)
    if age > limits["OUTBOX_MAX_AGE_SECONDS"]:
        raise CheckFailed(f"oldest unpublished event is {age:.0f}s old", detail)
    return detail


CHECKS: dict[str, Callable[[], dict | None]] = {
    "database": check_database,
    "redis": check_redis,
    "bus": check_bus,
    "worker": check_worker,
    "outbox": check_outbox,
}


class OutboxCollector:
    """Outbox backlog and lag, read from the database at scrape time (any process can)."""

    def collect(self):
        backlog = GaugeMetricFamily(
            "planpal_outbox_backlog", "Events committed but not yet published."
        )
        lag = GaugeMetricFamily(
            "planpal_outbox_oldest_unpublished_age_seconds",
            "Age of the oldest unpublished event (0 when none).",
        )
        try:
            count, age = outbox_backlog()
        except Exception:  # noqa: BLE001 - the scrape still answers; the gauge is just absent
            return []
        backlog.add_metric([], count)
        lag.add_metric([], age)
        return [backlog, lag]


def run_check(name: str, check: Callable[[], dict | None]) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        status = SKIPPED if detail is None else OK
        result = {"status": status, **(detail or {})}
    except CheckFailed as failed:
        message, *extra = failed.args
        result = {"status": FAIL, "error": message, **(extra[0] if extra else {})}
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is "not ready"
        result = {"status": FAIL, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def readiness() -> tuple[bool, dict]:
    optional = settings.HEALTH["OPTIONAL_CHECKS"]
    results = {name: run_check(name, check) for name, check in CHECKS.items()}
    failed = [name for name, r in results.items() if r["status"] == FAIL and name not in optional]
    if failed:
        log.warning("not ready: %s", ", ".join(f"{n} ({results[n]['error']})" for n in failed))
    return not failed, {"status": FAIL if failed else OK, "checks": results}


class LiveApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        tags=["health"],
        responses={200: inline_serializer("Live", {"status": serializers.CharField()})},
    )
    def get(self, request):
        return Response({"status": "ok"})


def has_operator_token(request) -> bool:
    """`Authorization: Bearer <METRICS_TOKEN>`, when a token is configured."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and secrets.compare_digest(given.encode(), f"Bearer {token}".encode())


def public_view(body: dict) -> dict:
    """What anyone may read of the readiness: up/down per check, nothing about the insides."""
    checks = {name: {"status": check["status"]} for name, check in body["checks"].items()}
    return {"status": body["status"], "checks": checks}


class ReadyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        tags=["health"],
        summary="Readiness: every check's status (with METRICS_TOKEN: errors and latencies); "
        "503 when not ready",
        responses={
            200: inline_serializer(
                "Ready", {"status": serializers.CharField(), "checks": serializers.DictField()}
            ),
            503: inline_serializer(
                "NotReady", {"status": serializers.CharField(), "checks": serializers.DictField()}
            ),
        },
    )
    def get(self, request):
        ready, body = readiness()
        if not has_operator_token(request):
            body = public_view(body)
        return Response(body, status=200 if ready else 503)


def metrics_view(request):
    """Prometheus scrape: `Authorization: Bearer <METRICS_TOKEN>`. Without a token configured
    only the embedded default serves it (bound to loopback); elsewhere it is refused."""
    if settings.METRICS_TOKEN:
        if not has_operator_token(request):
            return HttpResponse("unauthorised\n", status=401, content_type="text/plain")
    elif not settings.EMBEDDED_DEFAULT:
        message = "metrics are off: set METRICS_TOKEN to scrape them\n"
        return HttpResponse(message, status=403, content_type="text/plain")
    body, content_type = metrics.render(extra=[OutboxCollector()])
    return HttpResponse(body, content_type=content_type)
