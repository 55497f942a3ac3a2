"""The embedded default (no Redis, no Celery): the web process runs the schedule itself.

A module of its own: without Redis each process hears only its own events, so no other server
may run beside it (a module-scoped `server`, even for a test that then skips, would run a
second scheduler that could make the transition where the subscriber is not listening)."""

import asyncio
from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.client import RealtimeClient
from tests.factories import make_group
from tests.live import LiveServer
from tests.plans.factories import make_plan
from tests.realtime.conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)


async def test_embedded_server_runs_the_schedule_itself(alice, bob):
    """No Redis, no Celery: the web process's own scheduler starts the plan on time."""
    trip = await asyncio.to_thread(lambda: make_group("Dalat", owner=alice, members=[bob]))
    embedded = LiveServer(REDIS_URL="", LIFECYCLE_SWEEP_SECONDS="1").start()
    bob_client = RealtimeClient(embedded.url, access_token=token_for(bob), ping_seconds=5)
    try:
        start = timezone.now() + timedelta(seconds=3)
        plan = await asyncio.to_thread(
            lambda: make_plan(alice, group=trip, start=start, title="Embedded", days=1)
        )
        await bob_client.start()
        # Replay from the start: on a loaded machine the transition may commit before the
        # subscription does, and a live-only subscribe would then never see it.
        await bob_client.subscribe(f"plan:{plan.pk}", since=0)
        event = await bob_client.next_frame(type="event", timeout=30)
        while event["event"] != "plan.status_changed":
            event = await bob_client.next_frame(type="event", timeout=30)
        late = (timezone.now() - start).total_seconds()
    finally:
        await bob_client.close()
        embedded.stop()
    assert (event["event"], event["data"]["to"], event["data"]["reason"]) == (
        "plan.status_changed",
        "ongoing",
        "scheduled",
    )
    print(f"\nembedded lateness start_at → subscriber: {late:.2f}s")
