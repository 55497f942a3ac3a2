"""Delivery guarantees end to end: a real server process, real clients, REST writes."""

import asyncio

import pytest

from tests.live import LiveServer
from tests.realtime.conftest import require_redis, rest

pytestmark = pytest.mark.django_db(transaction=True)


async def subscribe(client, topic, since=None) -> dict:
    await client.subscribe(topic, since=since)
    return await client.next_frame(type="subscribed")


async def toggle_completion(server, user, activity_id, times: int) -> None:
    async with rest(server, user) as api:
        for index in range(times):
            action = "complete" if index % 2 == 0 else "reopen"
            response = await api.post(f"/activities/{activity_id}/{action}")
            assert response.status_code == 200, response.text


async def test_member_receives_activity_completed_written_over_rest(server, trip, connect):
    bob = await connect(trip.bob)
    subscribed = await subscribe(bob, trip.plan_topic)
    coffee = trip.activities[0]

    async with rest(server, trip.alice) as api:
        response = await api.post(f"/activities/{coffee.pk}/complete")
    assert response.status_code == 200, response.text

    [event] = await bob.events(1)
    assert event["event"] == "plan.activity_completed"
    assert event["topic"] == trip.plan_topic
    assert event["seq"] == subscribed["seq"] + 1
    assert event["actor"] == trip.alice.pk
    assert event["data"]["id"] == coffee.pk
    assert event["data"]["completed_by"] is not None
    assert event["data"]["completed_at"] is not None


async def test_reconnect_with_since_replays_exactly_what_was_missed(server, trip, connect):
    bob = await connect(trip.bob)
    head = (await subscribe(bob, trip.plan_topic))["seq"]
    await bob.close()

    await toggle_completion(server, trip.alice, trip.activities[0].pk, times=5)

    bob_again = await connect(trip.bob)
    subscribed = await subscribe(bob_again, trip.plan_topic, since=head)
    assert subscribed["recovered"] is True
    assert subscribed["seq"] == head + 5
    missed = await bob_again.events(5)
    assert [e["seq"] for e in missed] == list(range(head + 1, head + 6))
    assert [e["event"] for e in missed] == [
        "plan.activity_completed",
        "plan.activity_reopened",
        "plan.activity_completed",
        "plan.activity_reopened",
        "plan.activity_completed",
    ]

    await toggle_completion(server, trip.alice, trip.activities[1].pk, times=1)
    [live] = await bob_again.events(1)
    assert live["seq"] == head + 6


def by_topic(events) -> dict[str, list[tuple[int, str]]]:
    """Events as (seq, name) per topic, each topic's in the order they arrived."""
    topics: dict[str, list[tuple[int, str]]] = {}
    for event in events:
        topics.setdefault(event["topic"], []).append((event["seq"], event["event"]))
    return topics


async def test_client_reconnects_by_itself_and_resumes_without_duplicates(server, trip, connect):
    # Bob's own topic resumes too: each completion by Alice is a notification for him there.
    from planpal.realtime.models import Event

    bob_topic = f"user:{trip.bob.pk}"
    mine = await asyncio.to_thread(lambda: Event.objects.filter(topic=bob_topic).count())
    bob = await connect(trip.bob)
    head = (await subscribe(bob, trip.plan_topic))["seq"]
    await toggle_completion(server, trip.alice, trip.activities[0].pk, times=2)
    assert by_topic(await bob.events(3)) == {
        trip.plan_topic: [
            (head + 1, "plan.activity_completed"),
            (head + 2, "plan.activity_reopened"),
        ],
        bob_topic: [(mine + 1, "notification.created")],
    }

    await bob.drop_connection()
    await toggle_completion(server, trip.alice, trip.activities[1].pk, times=3)
    await asyncio.wait_for(bob.connected.wait(), 10)

    resumed = await bob.events(5, timeout=10)
    assert by_topic(resumed) == {
        trip.plan_topic: [
            (head + 3, "plan.activity_completed"),
            (head + 4, "plan.activity_reopened"),
            (head + 5, "plan.activity_completed"),
        ],
        bob_topic: [(mine + 2, "notification.created"), (mine + 3, "notification.created")],
    }
    with pytest.raises(TimeoutError):  # and nothing twice
        await bob.events(1, timeout=1)
    assert bob.connections == 2


async def test_since_beyond_retention_answers_not_recovered(server, trip, connect):
    await toggle_completion(server, trip.alice, trip.activities[0].pk, times=3)
    from planpal.realtime.models import Event

    await asyncio.to_thread(
        lambda: Event.objects.filter(topic=trip.plan_topic, seq=1).delete()
    )  # as retention would
    bob = await connect(trip.bob)
    subscribed = await subscribe(bob, trip.plan_topic, since=0)
    assert subscribed["recovered"] is False
    assert subscribed["seq"] == 3


async def test_event_whose_publish_failed_is_delivered_by_the_sweeper(
    server, trip, connect, monkeypatch
):
    from planpal.plans import services
    from planpal.realtime import bus

    def broken_bus(messages):
        raise ConnectionError("bus down")

    bob = await connect(trip.bob)
    head = (await subscribe(bob, trip.plan_topic))["seq"]
    monkeypatch.setattr(bus, "send", broken_bus)
    # Written by this process, whose publish fails after commit: only the sweeper can deliver it.
    await asyncio.to_thread(
        services.activity_complete, actor=trip.alice, activity_id=trip.activities[0].pk
    )
    [event] = await bob.events(1, timeout=15)
    assert (event["seq"], event["event"]) == (head + 1, "plan.activity_completed")


async def test_two_web_processes_share_events_through_redis(server, trip, connect):
    require_redis()
    other = LiveServer().start()
    try:
        bob = await connect(trip.bob, on=other)
        head = (await subscribe(bob, trip.plan_topic))["seq"]
        await toggle_completion(server, trip.alice, trip.activities[0].pk, times=1)
        [event] = await bob.events(1)
        assert event["seq"] == head + 1
    finally:
        other.stop()
