"""User presence: online/offline announced to the user's groups (debounced), activity tracked
for push decisions."""

import asyncio

import pytest

from planpal.realtime.presence import user_is_active
from tests.realtime.conftest import require_redis

pytestmark = pytest.mark.django_db(transaction=True)


async def test_groups_hear_a_member_come_online_and_go_offline(server, trip, connect):
    bob = await connect(trip.bob)
    await bob.subscribe(trip.group_topic)
    await bob.next_frame(type="subscribed")

    alice = await connect(trip.alice)
    online = await bob.next_frame(type="presence.changed")
    if online["user"] == trip.bob.pk:  # bob's own arrival, announced after his subscribe
        online = await bob.next_frame(type="presence.changed")
    assert online == {
        "type": "presence.changed",
        "topic": trip.group_topic,
        "user": trip.alice.pk,
        "online": True,
    }

    await alice.close()
    offline = await bob.next_frame(type="presence.changed", timeout=15)
    assert (offline["user"], offline["online"]) == (trip.alice.pk, False)


async def test_a_quick_reconnect_is_not_announced_as_offline(server, trip, connect):
    bob = await connect(trip.bob)
    await bob.subscribe(trip.group_topic)
    await bob.next_frame(type="subscribed")
    alice = await connect(trip.alice)
    assert (await bob.next_frame(type="presence.changed"))["online"] is True

    await alice.drop_connection()
    await asyncio.wait_for(alice.connected.wait(), 10)
    with pytest.raises(TimeoutError):
        await bob.next_frame(type="presence.changed", timeout=8)


async def test_a_connected_client_counts_as_active_for_push_decisions(server, trip, connect):
    require_redis()  # embedded presence lives inside the server process
    assert not await asyncio.to_thread(user_is_active, trip.bob.pk)
    await connect(trip.bob)
    for _ in range(50):
        if await asyncio.to_thread(user_is_active, trip.bob.pk):
            break
        await asyncio.sleep(0.1)
    assert await asyncio.to_thread(user_is_active, trip.bob.pk)
    assert not await asyncio.to_thread(user_is_active, trip.alice.pk)
