"""Webhooks end to end: a real server (plus a real Celery worker when Redis is there), REST
writes, and a receiver on loopback checking order, exactly-once, retries and signatures with
the verification snippet from docs/webhooks.md."""

import asyncio
import os
import time

import pytest
from django.conf import settings

from planpal.realtime.models import Event
from planpal.webhooks import transport
from tests.live import CeleryProcess, LiveServer
from tests.realtime.conftest import rest

pytestmark = pytest.mark.django_db(transaction=True)
TOGGLES = ["plan.activity_completed", "plan.activity_reopened"]


@pytest.fixture(scope="module")
def hook_server(django_db_setup, django_db_blocker):
    """The server delivers (embedded) or hands deliveries to a worker on a queue of its own."""
    env = {
        "WEBHOOKS_ALLOW_PRIVATE": "1",
        "WEBHOOK_RETRY_BASE_SECONDS": "0.2",
        "WEBHOOK_MAX_RETRY_DELAY_SECONDS": "1",
        "WEBHOOK_QUEUE": f"webhooks-test-{os.getpid()}",
    }
    server = LiveServer(**env).start()
    worker = None
    if settings.REDIS_URL:  # production shape: deliveries run on a Celery worker
        worker = CeleryProcess("worker", "--queues", env["WEBHOOK_QUEUE"], **env)
    yield server
    if worker:
        worker.stop()
    server.stop()


async def create_hook(server, trip, url: str, events: list[str]) -> dict:
    async with rest(server, trip.alice) as api:
        response = await api.post(
            f"/groups/{trip.group.pk}/webhooks", json={"url": url, "events": events}
        )
    assert response.status_code == 201, response.text
    return response.json()


async def toggle(api, activity_id: int, times: int) -> None:
    for index in range(times):
        action = "complete" if index % 2 == 0 else "reopen"
        response = await api.post(f"/activities/{activity_id}/{action}")
        assert response.status_code == 200, response.text


async def wait_until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def logged(topic: str, names: list[str]) -> list[tuple[int, str]]:
    rows = Event.objects.filter(topic=topic, name__in=names).order_by("seq")
    return [(row.seq, str(row.id)) for row in rows]


async def test_a_burst_arrives_exactly_once_in_order_with_valid_signatures(
    hook_server, trip, receiver, verify
):
    hook = await create_hook(hook_server, trip, receiver.url, TOGGLES)
    async with rest(hook_server, trip.alice) as api:  # three writers at once, 12 events
        await asyncio.gather(*(toggle(api, activity.pk, 4) for activity in trip.activities))

    received = await wait_until(lambda: len(receiver.all()) >= 12 and receiver.all())
    await asyncio.sleep(0.5)
    assert len(receiver.all()) == 12  # nothing twice, nothing more
    expected = await asyncio.to_thread(logged, trip.plan_topic, TOGGLES)
    assert [(r.event["seq"], r.event["id"]) for r in received] == expected
    for request in received:
        assert verify(hook["secret"], request.headers["planpal-signature"], request.body)
        assert request.headers["idempotency-key"] == request.event["id"]
        assert request.headers["planpal-event"] == request.event["event"]
        assert request.event["type"] == "event" and request.event["topic"] == trip.plan_topic
        assert request.event["event"] in TOGGLES
    first, last = received[0].at, received[-1].at
    print(f"\n12 webhook deliveries in {last - first:.2f}s after the first")


async def test_a_failing_receiver_gets_retries_then_everything_in_order(
    hook_server, trip, receiver, verify
):
    hook = await create_hook(hook_server, trip, receiver.url, TOGGLES)
    receiver.answer(500)
    async with rest(hook_server, trip.bob) as api:
        await toggle(api, trip.activities[0].pk, 4)

    await wait_until(lambda: len(receiver.all()) >= 3)
    expected = await asyncio.to_thread(logged, trip.plan_topic, TOGGLES)
    head_id = expected[0][1]
    # While the oldest delivery fails, it is the only one tried: nothing overtakes it.
    assert {r.headers["idempotency-key"] for r in receiver.all()} == {head_id}
    receiver.answer(200)

    accepted = await wait_until(lambda: len(receiver.accepted()) >= 4 and receiver.accepted())
    await asyncio.sleep(0.5)
    assert [(r.event["seq"], r.event["id"]) for r in receiver.accepted()] == expected
    assert all(verify(hook["secret"], r.headers["planpal-signature"], r.body) for r in accepted)

    async with rest(hook_server, trip.alice) as api:
        log = (await api.get(f"/webhooks/{hook['id']}/deliveries")).json()["results"]
        oldest = log[-1]
        detail = (await api.get(f"/webhooks/{hook['id']}/deliveries/{oldest['id']}")).json()
    assert [d["status"] for d in log] == ["delivered"] * 4
    assert oldest["event_id"] == head_id and oldest["attempts"] >= 3
    codes = [attempt["status_code"] for attempt in detail["attempt_log"]]
    assert codes[-1] == 200 and set(codes[:-1]) == {500}
    assert all(attempt["latency_ms"] >= 0 for attempt in detail["attempt_log"])


async def test_forged_stale_or_foreign_signatures_are_detected(hook_server, trip, receiver, verify):
    hook = await create_hook(hook_server, trip, receiver.url, ["group.updated"])
    async with rest(hook_server, trip.alice) as api:
        response = await api.post(f"/webhooks/{hook['id']}/test")
    assert response.status_code == 202, response.text
    [request] = await wait_until(receiver.accepted)
    assert request.event["event"] == "webhook.test" and request.event["seq"] is None
    secret, header, body = hook["secret"], request.headers["planpal-signature"], request.body

    assert verify(secret, header, body)
    assert not verify(secret, header, body.replace(b"webhook.test", b"webhook.evil"))
    assert not verify("whsec_someone-elses-secret", header, body)
    assert not verify(secret, "t=1,v1=" + "0" * 64, body)
    assert not verify(secret, "garbage", body)
    stale = int(time.time()) - 3600  # correctly signed, but an hour old: a replayed request
    assert not verify(secret, transport.signature_header([secret], stale, body.decode()), body)
