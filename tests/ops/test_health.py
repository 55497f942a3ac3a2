"""GET /api/v1/health/live and /ready: each check with its status and latency, 503 when a
required one fails; Redis stopped → 503 (and REST still works), Redis back → 200."""

import time
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from planpal.realtime.models import Event
from tests.live import OPERATOR, CeleryProcess, LiveServer, free_port
from tests.ops.conftest import worker_heartbeat
from tests.realtime.conftest import require_redis, token_for, trip  # noqa: F401 - fixture

CHECKS = {"database", "redis", "bus", "worker", "outbox"}


def test_live_answers_without_dependencies(anon):
    response = anon.get("/api/v1/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.fixture
def operator(anon, settings):
    """A client holding the operators' token (METRICS_TOKEN): it sees readiness details."""
    settings.METRICS_TOKEN = "tests-operator-token"
    anon.credentials(HTTP_AUTHORIZATION="Bearer tests-operator-token")
    return anon


def test_ready_lists_every_check_with_status_and_latency(operator, settings, db):
    if settings.REDIS_URL:
        worker_heartbeat(settings.REDIS_URL)
    response = operator.get("/api/v1/health/ready")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    for name, check in body["checks"].items():
        assert check["status"] in {"ok", "skipped"}, (name, check)
        assert check["latency_ms"] >= 0
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["outbox"] | {"latency_ms": 0} == {
        "status": "ok",
        "backlog": 0,
        "oldest_age_seconds": 0.0,
        "latency_ms": 0,
    }
    if settings.REDIS_URL:
        assert body["checks"]["redis"]["status"] == "ok"
        assert body["checks"]["bus"]["status"] == "ok"  # no hub here: its own pub/sub trip
        assert body["checks"]["worker"]["status"] == "ok"


def test_ready_is_503_when_the_outbox_is_stuck(operator, settings, db):
    if settings.REDIS_URL:
        worker_heartbeat(settings.REDIS_URL)
    settings.HEALTH = {**settings.HEALTH, "OUTBOX_MAX_AGE_SECONDS": 30}
    event = Event.objects.create(topic="user:1", seq=1, name="friend.removed", payload={})
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    response = operator.get("/api/v1/health/ready")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert (outbox["status"], outbox["backlog"]) == ("fail", 1)
    assert outbox["oldest_age_seconds"] >= 120
    assert "unpublished" in outbox["error"]

    settings.HEALTH = {**settings.HEALTH, "OPTIONAL_CHECKS": {"outbox"}}
    assert operator.get("/api/v1/health/ready").status_code == 200  # reported, not required


def test_anonymous_readiness_says_only_up_or_down_per_check(anon, settings, db):
    """Attack found from outside (issue 13 item 25): the failing Redis check's error named its
    host and port to anyone. Without the operators' token only the statuses are shown."""
    port = str(free_port())  # nothing listens there
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.METRICS_TOKEN = "tests-operator-token"
    body = anon.get("/api/v1/health/ready").json()
    assert body["checks"]["redis"] == {"status": "fail"}
    assert port not in str(body)
    assert all(set(check) == {"status"} for check in body["checks"].values()), body
    wrong = anon.get("/api/v1/health/ready", HTTP_AUTHORIZATION="Bearer not-the-token").json()
    assert wrong["checks"]["redis"] == {"status": "fail"}
    detailed = anon.get(
        "/api/v1/health/ready", HTTP_AUTHORIZATION="Bearer tests-operator-token"
    ).json()
    assert port in detailed["checks"]["redis"]["error"]


def test_ready_needs_a_worker_heartbeat_in_production(anon, settings, db):
    require_redis()
    from planpal.realtime.bus import redis_client

    redis_client().delete(settings.REDIS_KEY_PREFIX + "workers")
    response = anon.get("/api/v1/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "fail"


def ready(server) -> httpx.Response:
    return httpx.get(f"{server.url}/api/v1/health/ready", headers=OPERATOR, timeout=10)


def wait_for_status(server, status: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = ready(server)
        if response.status_code == status:
            return response.json()
        if time.monotonic() > deadline:
            raise AssertionError(f"ready stayed {response.status_code}: {response.text}")
        time.sleep(0.3)


@pytest.mark.slow
def test_redis_outage_makes_ready_503_keeps_rest_working_and_recovers(trip, throwaway_redis):  # noqa: F811
    require_redis()
    server = LiveServer(REDIS_URL=throwaway_redis.url, RATE_LIMITS="on").start()
    worker = CeleryProcess("worker", "--pool", "solo", REDIS_URL=throwaway_redis.url)
    api = httpx.Client(
        base_url=f"{server.url}/api/v1",
        headers={"Authorization": f"Bearer {token_for(trip.alice)}"},
        timeout=10,
    )
    try:
        body = wait_for_status(server, 200)  # the worker's first heartbeat has arrived
        assert {name: check["status"] for name, check in body["checks"].items()} == dict.fromkeys(
            CHECKS, "ok"
        )
        assert body["checks"]["bus"]["path"] == "redis pub/sub to this process's hub"

        throwaway_redis.stop()
        response = ready(server)
        assert response.status_code == 503
        checks = response.json()["checks"]
        assert checks["database"]["status"] == "ok"
        assert checks["redis"]["status"] == "fail" and checks["redis"]["error"]
        assert checks["bus"]["status"] == "fail"
        # No ticket can be stored: a clear 503, not a ticket the socket would then refuse.
        ticket = api.post("/realtime/ticket")
        assert ticket.status_code == 503, ticket.text
        assert ticket.json()["error"]["code"] == "realtime_unavailable"

        # REST keeps working: cache and rate limits fail open, the event waits in the outbox.
        plan_url = f"/plans/{trip.plan.pk}"
        assert api.get(plan_url).status_code == 200
        start = trip.plan.start_at + timedelta(hours=10)
        created = api.post(
            f"{plan_url}/activities",
            json={
                "title": "Night market",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
            },
        )
        assert created.status_code == 201, created.text
        detail = api.get(plan_url)
        assert detail.status_code == 200
        assert "Night market" in [a["title"] for a in detail.json()["activities"]]
        event = Event.objects.get(topic=trip.plan_topic, name="plan.activity_created")
        assert event.published_at is None

        throwaway_redis.start()
        body = wait_for_status(server, 200, timeout=45)  # bus reconnects, worker beats again
        assert body["checks"]["redis"]["status"] == "ok"
        assert api.post("/realtime/ticket").status_code == 201
        deadline = time.monotonic() + 15
        while Event.objects.get(pk=event.pk).published_at is None:  # the sweeper's turn
            assert time.monotonic() < deadline, "event never published after the outage"
            time.sleep(0.3)
    finally:
        api.close()
        worker.stop()
        server.stop()
