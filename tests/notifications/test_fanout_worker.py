"""With a broker (FANOUT_IN_WORKER), a web process hands the notifications after a commit to a
Celery worker (`realtime.tasks.fan_out`) instead of writing them itself. The pending event rows
are the work: a lost task leaves them to the sweeper, a duplicate task finds them done, and a
broker that refuses the task makes the web process do the fan-out itself."""

import asyncio
from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import sync_to_async
from django.utils import timezone

from planpal.notifications.models import Notification
from planpal.plans import services as plans
from planpal.realtime import fanout, tasks
from planpal.realtime.models import Event
from tests.live import CeleryProcess, LiveServer
from tests.notifications.test_fanout import completed_notices, crew
from tests.realtime.conftest import require_redis, rest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web_process_with_a_worker(settings, monkeypatch):
    """This process acts as a web process whose fan-out thread queues tasks (run at once here,
    not in a thread); the tasks it queues are collected, not sent: run them with `.apply()`."""
    settings.FANOUT_IN_WORKER = True
    monkeypatch.setattr(fanout, "_after_commit", fanout.fan_out_or_queue)
    queued: list[str] = []
    monkeypatch.setattr(tasks.fan_out, "apply_async", lambda *a, **k: queued.append("fan_out"))
    return queued


def told_of_completes() -> int:
    return Notification.objects.filter(kind="plan.activity_completed").count()


def test_the_web_process_queues_the_fan_out_and_a_second_task_tells_nobody_twice(
    web_process_with_a_worker,
):
    _, _, activities, users = crew(5, "queued")
    web_process_with_a_worker.clear()  # the tasks of making the crew
    plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
    assert web_process_with_a_worker == ["fan_out"]
    assert told_of_completes() == 0  # the web process wrote none of them
    assert Event.objects.get(name="plan.activity_completed").fanout_pending

    assert tasks.fan_out.apply().get() == 1  # the worker
    assert told_of_completes() == 4
    assert tasks.fan_out.apply().get() == 0  # a duplicate (redelivered) task
    assert told_of_completes() == 4
    for user in [users[0], *users[2:]]:
        assert len(completed_notices(user)) == 1


def test_a_lost_task_is_queued_again_by_the_sweeper(web_process_with_a_worker):
    """The crash between commit and fan-out, worker side: the task never ran (lost with the
    broker, or the worker died before taking it). The row's flag is still the ticket."""
    _, _, activities, users = crew(4, "lost")
    web_process_with_a_worker.clear()
    plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
    assert web_process_with_a_worker == ["fan_out"]  # ... and then lost

    assert fanout.sweep_pending() == 0
    assert web_process_with_a_worker == ["fan_out"]  # too fresh: its task may still come
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        assert fanout.sweep_pending() == 0  # queued for a worker, not done here
    assert web_process_with_a_worker == ["fan_out", "fan_out"]
    assert told_of_completes() == 0

    tasks.fan_out.apply()
    tasks.fan_out.apply()  # the first task turning up after all
    assert told_of_completes() == 3
    assert not Event.objects.filter(fanout_pending=True).exists()


def test_with_the_broker_down_the_web_process_fans_out_itself(settings, monkeypatch):
    settings.FANOUT_IN_WORKER = True
    monkeypatch.setattr(fanout, "_after_commit", fanout.fan_out_or_queue)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.fan_out, "apply_async", broker_down)
    _, _, activities, users = crew(3, "down")
    plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
    assert told_of_completes() == 2
    assert not Event.objects.filter(fanout_pending=True).exists()


async def test_a_real_worker_tells_every_member_in_order_and_once(trip, connect):
    """`planpal web` with FANOUT_IN_WORKER and a `planpal worker`: until a worker runs, nobody
    is told (the web process only queued the work); then bob hears of each complete once, in
    the order they were made."""
    require_redis()
    web = await asyncio.to_thread(lambda: LiveServer(FANOUT_IN_WORKER="1").start())
    worker = None
    try:
        bob = await connect(trip.bob, on=web)
        async with rest(web, trip.alice) as alice:
            for activity in trip.activities:
                response = await alice.post(f"/activities/{activity.pk}/complete")
                assert response.status_code == 200, response.text
        await asyncio.sleep(1.5)
        assert await sync_to_async(told_of_completes)() == 0

        worker = await asyncio.to_thread(
            lambda: CeleryProcess("worker", "--queues", "default", "--pool", "solo")
        )
        heard = []
        while len(heard) < len(trip.activities):
            frame = await bob.next_frame(type="event", timeout=30)
            if frame["event"] == "notification.created":
                heard.append(frame["data"]["body"])
        assert heard == [f"Alice completed {a.title}" for a in trip.activities]
        await asyncio.sleep(1.0)  # a second copy would arrive in this window
        rows = await sync_to_async(completed_notices)(trip.bob)
        assert [body for _, body in rows] == heard
        assert await sync_to_async(told_of_completes)() == len(trip.activities)  # bob only
    finally:
        if worker is not None:
            await asyncio.to_thread(worker.stop)
        await asyncio.to_thread(web.stop)
