"""Stalled clients against a real server (issue 13 item 16): the slow-consumer close reaches
them and no task leaks.

In a module of their own: their flood is published by the outbox sweeper, and in embedded mode
(no Redis) every live server sweeps into its own hub only. Beside test_gateway_attacks.py's other
module-scoped servers, another server's sweeper sometimes published the flood first, this server
never saw it, and the stalled client got no 4009 (it idled out with 1001, or nothing came)."""

import asyncio
import json
import socket
from datetime import timedelta

import pytest
import websockets
from django.db import transaction
from django.utils import timezone

from planpal.realtime.models import Event
from planpal.realtime.outbox import next_seq
from tests.live import LiveServer
from tests.realtime.test_gateway_attacks import ending, open_ws
from tests.realtime.test_security import frames_until, new_ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def small_buffers(django_db_setup, django_db_blocker):
    live = LiveServer(WS_MAX_REPLAY="20", WS_SEND_BUFFER_FRAMES="200").start()
    yield live
    live.stop()


def flood(topic: str, count: int, size: int) -> None:
    """`count` events of ~`size` bytes on the topic, written unpublished and already old, so the
    server's outbox sweeper publishes them all at once (OUTBOX_SWEEP_SECONDS=1): the fastest
    way to pour megabytes into a live server."""
    with transaction.atomic():
        rows = [
            Event.objects.create(
                topic=topic, seq=next_seq(topic), name="plan.updated", payload={"pad": "x" * size}
            )
            for _ in range(count)
        ]
    old = timezone.now() - timedelta(seconds=30)
    Event.objects.filter(id__in=[row.id for row in rows]).update(created_at=old)


async def stalled_ws(server, user, topic: str):
    """A client that stops reading after a frame or two: its library pauses the socket (queue
    of one frame) and the kernel's receive buffer is tiny."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    url = f"{server.ws_url}?ticket={await new_ticket(server, user)}"
    ws = await websockets.connect(url, sock=sock, max_queue=1, ping_interval=None)
    await frames_until(ws, "subscribed")
    await ws.send(json.dumps({"op": "subscribe", "topic": topic, "ref": "s"}))
    await frames_until(ws, "subscribed")
    return ws


def server_log(server) -> str:
    return server.log_path.read_text(errors="replace")


async def test_a_stalled_client_that_reads_again_finds_4009_after_what_it_was_sent(
    small_buffers, trip
):
    """The close frame used to wait until the client drained the socket; one that stalled
    past uvicorn's keepalive (40 s) never saw 4009, only the keepalive's close."""
    ws = await stalled_ws(small_buffers, trip.bob, trip.plan_topic)
    await asyncio.to_thread(flood, trip.plan_topic, 700, 20_000)  # 14 MB: more than buffers hold
    await asyncio.sleep(45)  # past the keepalive ping (20 s) and its timeout (20 s)
    assert await ending(ws) == 4009
    assert "Task exception was never retrieved" not in server_log(small_buffers)


async def test_a_stalled_client_that_goes_away_leaves_no_task_behind(small_buffers, trip):
    ws = await stalled_ws(small_buffers, trip.bob, trip.plan_topic)
    await asyncio.to_thread(flood, trip.plan_topic, 700, 20_000)
    await asyncio.sleep(5)  # published, and too much for the socket: the server closes 4009
    ws.transport.abort()  # the client is gone without a word
    await asyncio.sleep(3)
    again = await open_ws(small_buffers, trip.bob)  # the server is fine
    await again.close()
    assert "Task exception was never retrieved" not in server_log(small_buffers)
