"""Smart push end to end: a real server (plus a real Celery worker when Redis is there), REST
writes, realtime clients, and the fake FCM server over HTTP."""

import asyncio
import time
from datetime import time as clock_time

import pytest
from django.conf import settings

from planpal.notifications.models import Device, NotificationPreference, PushAttempt
from tests.notifications.conftest import push_stack_running
from tests.realtime.conftest import rest

pytestmark = pytest.mark.django_db(transaction=True)
PUSH_DELAY = 2.0


@pytest.fixture(scope="module")
def push_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """Server (+ worker) configured to push through the fake FCM with a short delay."""
    with push_stack_running(
        tmp_path_factory.mktemp("fcm"),
        # production shape: the push task runs on a Celery worker
        worker=bool(settings.REDIS_URL),
        PUSH_DELAY_SECONDS=str(PUSH_DELAY),
        PUSH_TIMEOUT_SECONDS="3",
    ) as stack:
        yield stack


@pytest.fixture
def stack(push_stack, trip):
    push_stack.fcm.reset()
    Device.objects.create(user=trip.bob, platform="android", token="bob-phone")
    return push_stack


async def send_message(stack, trip, text: str, user=None) -> int:
    async with rest(stack.server, user or trip.alice) as api:
        response = await api.post(
            f"/conversations/{trip.group.conversation.pk}/messages", json={"text": text}
        )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def pushes_after(stack, seconds: float) -> list:
    await asyncio.sleep(seconds)
    return [r for r in stack.fcm.sends if r.message.get("token") == "bob-phone"]


async def wait_for_pushes(stack, count: int, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sends = [r for r in stack.fcm.sends if r.message.get("token") == "bob-phone"]
        if len(sends) >= count:
            return sends
        await asyncio.sleep(0.1)
    raise AssertionError(f"expected {count} push(es), got {len(stack.fcm.sends)}")


async def test_a_user_looking_at_the_app_is_not_buzzed(stack, trip, connect):
    bob = await connect(trip.bob, on=stack.server)
    await bob.send({"op": "ping"})  # client activity
    await send_message(stack, trip, "see you at the market")

    notification = await bob.next_frame(type="event")
    while notification["event"] != "notification.created":
        notification = await bob.next_frame(type="event")
    assert notification["data"]["kind"] == "chat.message"
    assert notification["data"]["body"] == "Alice: see you at the market"
    assert await pushes_after(stack, PUSH_DELAY + 2) == []


async def test_an_away_user_gets_exactly_one_push_after_the_delay(stack, trip):
    await send_message(stack, trip, "bus leaves at 7")
    committed = time.time()
    [push] = await wait_for_pushes(stack, 1)
    arrived = time.time() - (time.monotonic() - push.at)
    message = push.message
    assert message["notification"] == {"title": "Dalat trip", "body": "Alice: bus leaves at 7"}
    assert message["data"]["kind"] == "chat.message"
    assert message["android"]["collapse_key"] == f"chat:{trip.group.conversation.pk}"
    assert arrived - committed >= PUSH_DELAY - 0.1
    assert len(await pushes_after(stack, 2)) == 1
    print(f"\ncommit → fake FCM: {arrived - committed:.2f}s (of which {PUSH_DELAY}s is the delay)")


async def test_reading_before_the_delay_cancels_the_push(stack, trip):
    message_id = await send_message(stack, trip, "where are you?")
    async with rest(stack.server, trip.bob) as api:
        response = await api.post(
            f"/conversations/{trip.group.conversation.pk}/read", json={"message_id": message_id}
        )
        assert response.status_code == 200, response.text
        # The notification is written, and then read, by the fan-out after each commit.
        deadline = time.monotonic() + PUSH_DELAY
        while (await api.get("/notifications/unread-count")).json()["count"] != 0:
            assert time.monotonic() < deadline, "the notification is still unread"
            await asyncio.sleep(0.05)
    assert await pushes_after(stack, PUSH_DELAY + 2) == []


async def test_quiet_hours_and_mutes_suppress_the_push(stack, trip):
    await asyncio.to_thread(
        NotificationPreference.objects.create,
        user=trip.bob,
        quiet_hours_start=clock_time(0, 0),
        quiet_hours_end=clock_time(23, 59, 59),
    )
    await send_message(stack, trip, "quiet please")
    assert await pushes_after(stack, PUSH_DELAY + 2) == []

    await asyncio.to_thread(
        NotificationPreference.objects.filter(user=trip.bob).update,
        quiet_hours_start=None,
        quiet_hours_end=None,
        muted_group_ids=[trip.group.pk],
    )
    await send_message(stack, trip, "muted now")
    assert await pushes_after(stack, PUSH_DELAY + 2) == []


async def test_a_chat_burst_is_one_collapsed_push(stack, trip):
    for n in range(30):
        await send_message(stack, trip, f"message {n}")
    [push] = await wait_for_pushes(stack, 1)
    assert int(push.message["data"]["count"]) >= 2
    assert len(await pushes_after(stack, PUSH_DELAY + 2)) == 1


async def test_throttled_and_unavailable_fcm_is_retried_until_delivered(stack, trip):
    stack.fcm.script("bob-phone", [{"name": "QUOTA_EXCEEDED", "retry_after": 1}, "UNAVAILABLE"])
    await send_message(stack, trip, "retry me")
    await wait_for_pushes(stack, 3, timeout=30)
    outcomes = await asyncio.to_thread(
        lambda: list(PushAttempt.objects.order_by("id").values_list("outcome", flat=True))
    )
    assert outcomes == ["transient", "transient", "sent"]
    assert len(await pushes_after(stack, 2)) == 3


async def test_unregistered_token_deactivates_the_device_for_good(stack, trip):
    stack.fcm.script("bob-phone", ["UNREGISTERED"])
    await send_message(stack, trip, "anyone there?")
    await wait_for_pushes(stack, 1)
    await asyncio.sleep(1)
    device = await asyncio.to_thread(Device.objects.get, token="bob-phone")
    assert device.active is False

    async with rest(stack.server, trip.bob) as api:  # read, so the next message is a new push
        await api.post("/notifications/read-all")
    await send_message(stack, trip, "hello again")
    assert len(await pushes_after(stack, PUSH_DELAY + 2)) == 1
