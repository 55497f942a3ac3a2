"""GET /metrics of a real `planpal web` (multiprocess mode): the realtime metrics move when
events flow."""

import asyncio

import pytest

from planpal.core import metrics
from planpal.notifications.models import PushAttempt
from tests.ops.conftest import scrape, total
from tests.realtime.conftest import connect, rest, server, trip  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


async def test_realtime_metrics_move_when_events_flow(server, trip, connect):  # noqa: F811
    before = await asyncio.to_thread(scrape, server.url)
    bob = await connect(trip.bob)
    await bob.subscribe(trip.plan_topic, since=0)  # a replay (nothing to replay: recovered)
    await bob.next_frame(type="subscribed")
    await bob.send({"op": "subscribe", "topic": trip.group_topic, "since": 99, "ref": "gone"})
    assert (await bob.next_frame(type="subscribed"))["recovered"] is False
    async with rest(server, trip.alice) as api:
        for activity in trip.activities:
            response = await api.post(f"/activities/{activity.pk}/complete")
            assert response.status_code == 200, response.text
    await bob.events(len(trip.activities))
    await asyncio.sleep(1.2)  # gauges are refreshed by the hub's housekeeping every second
    after = await asyncio.to_thread(scrape, server.url)

    def moved(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert total(after, "planpal_ws_connections") >= 1
    assert total(after, "planpal_ws_subscriptions") >= 3  # user, plan and group topics
    assert moved("planpal_ws_connects_total", result="accepted") >= 1
    assert moved("planpal_events_published_total", path="commit", result="ok") >= 3
    assert moved("planpal_events_dispatched_total") >= 3
    assert moved("planpal_event_frames_delivered_total") >= 3
    assert moved("planpal_event_delivery_latency_seconds_count") >= 3
    assert moved("planpal_event_delivery_latency_seconds_bucket", le="+Inf") >= 3
    assert moved("planpal_realtime_replays_total", recovered="true") >= 1
    assert moved("planpal_realtime_replays_total", recovered="false") >= 1
    route = "api/v1/activities/<int:activity_id>/complete"
    assert moved("planpal_http_requests_total", route=route, status="200", method="POST") == 3
    assert moved("planpal_http_request_duration_seconds_count", route=route) == 3
    assert total(after, "planpal_outbox_backlog") >= 0
    assert ("planpal_outbox_oldest_unpublished_age_seconds", ()) in after


async def test_a_slow_consumer_disconnect_is_counted(settings):
    """A connection whose send buffer is full is closed with 4009, and counted."""
    from unittest.mock import ANY, AsyncMock, Mock

    from planpal.realtime.consumer import CLOSE_TOO_SLOW, RealtimeConsumer

    consumer = RealtimeConsumer()
    consumer.config = {**settings.REALTIME, "SEND_BUFFER_FRAMES": 2}
    consumer.backlog, consumer.flusher, consumer.socket = None, None, None
    consumer.subs, consumer.closing = {}, False
    consumer.hub, consumer.close = Mock(), AsyncMock()
    consumer.hub.spawn = asyncio.ensure_future
    closes = metrics.ws_closes.labels(str(CLOSE_TOO_SLOW))
    before = closes._value.get()
    for _ in range(3):
        consumer.queue('{"type":"event"}')
    await asyncio.sleep(0)
    consumer.close.assert_awaited_once_with(code=CLOSE_TOO_SLOW, reason=ANY)
    assert closes._value.get() == before + 1


def test_metrics_can_require_a_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert response.status_code == 200
    assert b"planpal_http_requests_total" in response.content


def test_production_refuses_metrics_without_a_token(client, settings):
    """Attack found from outside (issue 13 item 25): with METRICS_TOKEN unset a production-like
    server served /metrics to anyone. Only the embedded default (loopback) may do that."""
    settings.METRICS_TOKEN = ""
    settings.EMBEDDED_DEFAULT = False
    response = client.get("/metrics")
    assert response.status_code == 403
    assert b"METRICS_TOKEN" in response.content
    assert b"planpal_" not in response.content
    settings.EMBEDDED_DEFAULT = True
    assert client.get("/metrics").status_code == 200


def test_push_attempts_are_counted_by_outcome(alice):
    from planpal.notifications.models import Device
    from planpal.notifications.push.services import push_send

    device = Device.objects.create(user=alice, platform="android", token="t" * 40)
    sent = metrics.push_attempts.labels(PushAttempt.Outcome.SENT)
    before = sent._value.get()
    push_send(device=device, title="Hi", body="there")
    assert sent._value.get() == before + 1


def test_task_outcomes_are_counted(db):
    from planpal.ops.tasks import housekeeping

    succeeded = metrics.tasks.labels(housekeeping.name, "success")
    before = succeeded._value.get()
    housekeeping.apply()
    assert succeeded._value.get() == before + 1
