"""Real Celery processes on the real Redis broker: the lifecycle runs through `planpal worker`
and `planpal beat`, and a worker killed in the middle of a transition loses nothing."""

import asyncio
import os
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from planpal.plans.models import Plan
from planpal.plans.tasks import advance_plan_lifecycle
from planpal.realtime.models import Event
from tests.factories import make_group
from tests.live import CeleryProcess
from tests.plans.factories import make_plan
from tests.realtime.conftest import require_redis

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def status_events(plan) -> list[str]:
    return list(
        Event.objects.filter(topic=f"plan:{plan.pk}", name="plan.status_changed")
        .order_by("seq")
        .values_list("payload__to", flat=True)
    )


@pytest.fixture
def trip(alice, bob):
    return make_group("Dalat", owner=alice, members=[bob])


async def test_beat_and_worker_start_a_plan_and_subscribers_hear_it(
    server, trip, alice, bob, connect
):
    require_redis()
    start = timezone.now() + timedelta(seconds=4)
    plan = await asyncio.to_thread(
        lambda: make_plan(alice, group=trip, start=start, title="Now-ish", days=1)
    )
    bob_client = await connect(bob)
    await bob_client.subscribe(f"plan:{plan.pk}")
    await bob_client.next_frame(type="subscribed")

    worker = CeleryProcess("worker", "--concurrency", "1")
    beat = CeleryProcess("beat", LIFECYCLE_SWEEP_SECONDS="1")
    try:
        event = await bob_client.next_frame(type="event", timeout=40)
        received = timezone.now()
    finally:
        beat.stop()
        worker.stop()
    assert event["event"] == "plan.status_changed"
    assert (event["data"]["from"], event["data"]["to"]) == ("upcoming", "ongoing")
    assert event["data"]["reason"] == "scheduled"
    print(f"\nlateness start_at → subscriber: {(received - start).total_seconds():.2f}s")


def test_worker_killed_mid_transition_redelivers_and_transitions_once(alice, trip):
    require_redis()
    if connection.vendor != "mysql":
        pytest.skip("the row-lock pause needs MariaDB")
    plan = make_plan(alice, group=trip, start=timezone.now() - timedelta(minutes=1), days=1)
    queue = f"test-lifecycle-{os.getpid()}"
    env = {"CELERY_VISIBILITY_TIMEOUT": "3", "PUSH_MAX_RETRY_DELAY_SECONDS": "2"}

    # Hold the plan's row lock from another connection: the worker's compare-and-set blocks
    # inside its transaction, i.e. the task is caught in the middle.
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        with transaction.atomic():
            list(Plan.objects.select_for_update().filter(pk=plan.pk))
            locked.set()
            release.wait(60)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(10)
    first = CeleryProcess("worker", "--queues", queue, "--pool", "solo", **env)
    second = None
    try:
        advance_plan_lifecycle.apply_async(queue=queue)
        wait_until(lambda: worker_blocked_on_plan(), what="the worker to block on the plan row")
        first.kill()
        release.set()
        holder.join()
        time.sleep(0.5)
        plan.refresh_from_db()
        assert plan.status == "upcoming"  # the killed worker's transaction rolled back

        # Past the visibility timeout the broker hands the unacknowledged task out again.
        time.sleep(4)
        second = CeleryProcess("worker", "--queues", queue, "--pool", "solo", **env)
        wait_until(
            lambda: Plan.objects.get(pk=plan.pk).status == "ongoing",
            timeout=60,
            what="the redelivered task to start the plan",
        )
        time.sleep(2)  # a duplicate delivery would land in this window
        assert status_events(plan) == ["ongoing"]
    finally:
        release.set()
        first.stop()
        if second:
            second.stop()


def worker_blocked_on_plan() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.INNODB_TRX "
            "WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'UPDATE `plans_plan`%%'"
        )
        return cursor.fetchone()[0] > 0
