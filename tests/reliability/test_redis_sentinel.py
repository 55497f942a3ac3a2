"""Redis behind Sentinel (REDIS_SENTINELS): the primary is killed while 40 subscribers on two web
processes follow a steady stream of REST writes. The Sentinels promote the replica; the web
processes find it through them (bus, hub, presence, tickets, cache, rate limits all use the
Sentinel-managed clients), resubscribe there and catch up from the event log. The failover costs
a pause, never an event: every subscriber's log equals the server's event log."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async

from planpal.realtime.bus import channel_for
from planpal.realtime.models import Event
from tests.live import LiveServer
from tests.realtime.conftest import require_redis
from tests.reliability.sentinel import SentinelGroup, require_sentinel_binaries
from tests.reliability.streams import (
    ChatWriter,
    add_members,
    head,
    open_clients,
    server_log,
    wait_caught_up,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 40
FAILOVER_WITHIN_SECONDS = 60


def unpublished(topics: list[str]) -> int:
    return Event.objects.filter(topic__in=topics, published_at__isnull=True).count()


async def wait_for_promotion(group: SentinelGroup) -> float:
    started = time.monotonic()
    while group.primary() != group.replica_port:
        assert time.monotonic() - started < FAILOVER_WITHIN_SECONDS, "no failover happened"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def wait_until_subscribed(group: SentinelGroup, channel: str, processes: int) -> None:
    """Every web process's hub has resubscribed the topic on the promoted replica."""
    promoted = group.client(group.replica_port)
    deadline = time.monotonic() + FAILOVER_WITHIN_SECONDS
    while dict(promoted.pubsub_numsub(channel)).get(channel.encode(), 0) < processes:
        assert time.monotonic() < deadline, "the hubs never resubscribed on the new primary"
        await asyncio.sleep(0.1)


async def first_delivery_after(client, topic: str, seq: int) -> float:
    """When the client received the first event after `seq` (the end of the pause)."""
    while client.position(topic) <= seq:
        await asyncio.sleep(0.05)
    return time.monotonic()


async def test_a_redis_failover_costs_a_pause_never_an_event(trip, tmp_path):
    require_redis()  # production mode: the test's own settings need Redis too
    require_sentinel_binaries()
    group = SentinelGroup(tmp_path).start()
    servers = [LiveServer(**group.env).start() for _ in range(2)]
    users = await sync_to_async(add_members)(trip.group, 4, "follower")
    topics = [trip.group_topic, trip.plan_topic]
    channel = channel_for(trip.group_topic)
    clients: list = []
    try:
        clients, heads_before = await open_clients(
            [s.url for s in servers], users, SUBSCRIBERS // len(users), topics
        )
        # The hubs reach Redis through the Sentinels: they subscribed on the primary.
        numsub = group.client(group.primary_port).pubsub_numsub(channel)
        assert dict(numsub)[channel.encode()] == len(servers)
        conversation_id = await sync_to_async(lambda: trip.group.conversation.pk)()
        writer = ChatWriter(servers[0].url, trip.alice, conversation_id, interval=0.1)
        writer.start()
        await asyncio.sleep(3)
        sent_before = writer.sent
        group.kill_primary()
        killed_at = time.monotonic()
        head_at_kill = await sync_to_async(head)(trip.group_topic)
        paused = asyncio.create_task(
            first_delivery_after(clients[0], trip.group_topic, head_at_kill)
        )
        promoted_after = await wait_for_promotion(group)
        await wait_until_subscribed(group, channel, len(servers))
        await asyncio.sleep(3)  # writes keep coming after the failover too
        await writer.stop()
        pause = await paused - killed_at

        heads = await wait_caught_up(clients, topics, timeout=90)
        drain_started = time.monotonic()
        while await sync_to_async(unpublished)(topics):
            assert time.monotonic() - drain_started < 30, "the outbox never drained"
            await asyncio.sleep(0.2)
    finally:
        for client in clients:
            await client.close()
        for server in servers:
            server.stop()
        group.stop()

    assert writer.statuses and set(writer.statuses) == {201}, writer.statuses
    assert writer.sent > sent_before  # writes went on across the failover
    expected = {
        topic: await sync_to_async(server_log)(topic, heads_before[topic]) for topic in topics
    }
    assert len(expected[trip.group_topic]) >= writer.sent
    for client in clients:
        assert client.log == expected, "a client's log differs from the server's event log"
    print(
        f"\nsentinel failover: replica promoted {promoted_after:.1f}s after the kill, "
        f"deliveries paused {pause:.1f}s; "
        f"{writer.sent} messages ({writer.sent - sent_before} after the kill), "
        f"{len(clients)} clients, heads {heads}"
    )
