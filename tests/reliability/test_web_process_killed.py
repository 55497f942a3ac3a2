"""One of two web processes behind a load balancer is SIGKILLed while its clients follow a steady
stream: they reconnect through the balancer to the survivor, replay, and lose nothing."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from tests.live import LiveServer, LoopbackProxy
from tests.realtime.conftest import require_redis
from tests.reliability.streams import (
    ChatWriter,
    add_members,
    open_clients,
    server_log,
    wait_caught_up,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 100


async def test_killing_a_web_process_loses_nothing(trip):
    require_redis()
    doomed, survivor = LiveServer().start(), LiveServer().start()
    balancer = LoopbackProxy(doomed.port, survivor.port).start()
    entry = f"http://127.0.0.1:{balancer.port}"
    users = await sync_to_async(add_members)(trip.group, 4, "follower")
    topics = [trip.group_topic]
    clients, heads_before = await open_clients([entry], users, SUBSCRIBERS // len(users), topics)
    conversation_id = await sync_to_async(lambda: trip.group.conversation.pk)()
    # The writer goes through the balancer too: a request cut by the kill is retried with the
    # same client_id, and the idempotent send makes sure it is stored once.
    writer = ChatWriter(entry, trip.alice, conversation_id)
    try:
        writer.start()
        await asyncio.sleep(3)
        doomed.process.kill()
        doomed.process.wait()
        await asyncio.sleep(5)
        await writer.stop()
        await wait_caught_up(clients, topics, timeout=60)
        survived = survivor.alive()
    finally:
        for client in clients:
            await client.close()
        balancer.stop()
        doomed.stop()
        survivor.stop()

    assert survived
    assert writer.statuses and set(writer.statuses) <= {200, 201}, writer.statuses
    expected = {
        topic: await sync_to_async(server_log)(topic, heads_before[topic]) for topic in topics
    }
    # One message.sent per message the writer sent: none lost, none stored twice by a retry.
    assert len(expected[trip.group_topic]) == writer.sent
    for client in clients:
        assert client.log == expected, "a client's log differs from the server's event log"
    reconnected = [c for c in clients if c.client.connections > 1]
    # Round-robin put about half the clients on the process that died; each of them came back.
    assert len(reconnected) >= SUBSCRIBERS // 4, len(reconnected)
    print(
        f"\nweb process killed: {len(reconnected)} of {len(clients)} clients reconnected to the "
        f"survivor and replayed; {writer.sent} messages, {writer.statuses.count(200)} answered "
        "as retries of a stored send"
    )
