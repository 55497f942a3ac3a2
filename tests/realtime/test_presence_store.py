"""What presence keeps in Redis (realtime/presence.py): shared topics' members and users' slots,
refreshed by one script call per chunk; a user's own topic has no set of its own."""

import asyncio
import time
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from planpal.realtime import bus
from planpal.realtime.presence import TOPIC_TTL_SECONDS, RedisPresence
from tests.realtime.conftest import require_redis

USER, OTHER = 987_654_001, 987_654_002
PLAN = "plan:987654001"


@dataclass(eq=False)
class Conn:
    user_id: int
    conn_id: str


@pytest.fixture
async def store():
    """A presence of a process holding two connections of USER and one of OTHER on PLAN."""
    require_redis()
    from planpal.realtime.transport import command_client

    client = command_client()
    ours = [Conn(USER, f"c{n}") for n in (1, 2)]
    theirs = Conn(OTHER, "c3")
    hub = SimpleNamespace(
        topics={
            PLAN: SimpleNamespace(subscribers={*ours, theirs}),
            f"user:{USER}": SimpleNamespace(subscribers=set(ours)),
            "plan:987654002": SimpleNamespace(subscribers=set()),  # lingering, nobody on it
        },
        users={USER: ours, OTHER: [theirs]},
        spawn=asyncio.ensure_future,
    )
    names = (f"presence:{PLAN}", f"presence:user:{USER}", "presence:plan:987654002")
    keys = [bus.CHANNEL_PREFIX + key for key in (*names, f"slots:{USER}", f"slots:{OTHER}")]
    await client.delete(*keys)
    yield SimpleNamespace(presence=RedisPresence(hub, client), client=client, keys=keys)
    await client.delete(*keys)
    await client.aclose()


async def test_a_refresh_renews_every_local_member_and_drops_the_expired(store):
    plan_key, own_key, idle_key, slots_key, other_slots_key = store.keys
    # A member a crashed process stopped refreshing; one that expires in the future stays.
    await store.client.zadd(plan_key, {"5:gone": time.time() - 1, "6:elsewhere": time.time() + 30})

    await store.presence.refresh()

    members = dict(await store.client.zrange(plan_key, 0, -1, withscores=True))
    assert set(members) == {
        f"{USER}:c1".encode(),
        f"{USER}:c2".encode(),
        f"{OTHER}:c3".encode(),
    } | {b"6:elsewhere"}
    renewed = members[f"{OTHER}:c3".encode()]
    assert time.time() + TOPIC_TTL_SECONDS - 5 < renewed <= time.time() + TOPIC_TTL_SECONDS
    assert set(await store.client.zrange(slots_key, 0, -1)) == {b"c1", b"c2"}
    assert await store.client.zrange(other_slots_key, 0, -1) == [b"c3"]
    for key in (plan_key, slots_key, other_slots_key):
        assert 0 < await store.client.ttl(key) <= TOPIC_TTL_SECONDS * 2
    assert not await store.client.exists(own_key, idle_key)


async def test_the_own_topic_has_no_presence_set_and_is_answered_from_the_slots(store):
    plan_key, own_key, *_ = store.keys
    ours = store.presence.hub.users[USER][0]
    store.presence.joined(f"user:{USER}", ours)
    store.presence.joined(PLAN, ours)
    await asyncio.sleep(0.05)  # the batched writes went out
    assert not await store.client.exists(own_key)
    assert await store.client.zrange(plan_key, 0, -1) == [f"{USER}:c1".encode()]
    assert await store.presence.online(PLAN) == [USER]

    assert await store.presence.online(f"user:{USER}") == []  # no slot taken yet
    assert await store.presence.take_slot(ours, limit=5)
    assert await store.presence.online(f"user:{USER}") == [USER]
    assert await store.presence.online(f"user:{OTHER}") == []
