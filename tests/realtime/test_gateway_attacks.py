"""Attacks on the gateway found from outside (issue 13 items 3, 5, 8, 16, 22), against a real
server: each test failed on the code before its fix (docs/reliability.md, "Attacks found from
outside")."""

import asyncio
import json
import socket
from datetime import timedelta

import pytest
import websockets
from django.db import transaction
from django.utils import timezone

from planpal.realtime.authorisers import authorise, parse_topic
from planpal.realtime.models import Event
from planpal.realtime.outbox import next_seq
from planpal.realtime.subscriptions import heads_then_authorise
from tests.conftest import assert_error, make_user
from tests.factories import make_group, make_plan
from tests.live import LiveServer
from tests.realtime.conftest import token_for
from tests.realtime.sse import SseStream
from tests.realtime.test_security import frames_until, new_ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def gateway(django_db_setup, django_db_blocker):
    live = LiveServer().start()
    yield live
    live.stop()


async def open_ws(server, user):
    ws = await websockets.connect(f"{server.ws_url}?ticket={await new_ticket(server, user)}")
    await frames_until(ws, "subscribed")  # the own topic
    return ws


async def stream_status(server, user, **params) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    stream = await SseStream.open(server.url, headers=headers, **params)
    try:
        status = stream.response.status_code
        body = json.loads(await stream.response.aread()) if status != 200 else {}
        return status, body
    finally:
        await stream.close()


# ---------------------------------------------------------------------------- 22: topic names
@pytest.mark.parametrize(
    "topic",
    ["plan:24\n", "plan:24\r\n", " plan:24", "plan:024", "plan:+24", "plan:2\u0664", "PLAN:24"],
)
def test_a_topic_is_exactly_prefix_colon_id(topic, trip):
    assert parse_topic(topic.replace("24", str(trip.plan.pk))) is None
    assert parse_topic(trip.plan_topic) == ("plan", trip.plan.pk)


async def test_a_topic_with_a_trailing_newline_is_refused_not_subscribed(gateway, trip):
    """It used to be subscribed — a topic that never receives anything."""
    ws = await open_ws(gateway, trip.bob)
    await ws.send(json.dumps({"op": "subscribe", "topic": trip.plan_topic + "\n", "ref": "nl"}))
    answer = await frames_until(ws, "error")
    assert (answer["code"], answer["ref"]) == ("bad_topic", "nl")
    await ws.close()

    status, body = await stream_status(gateway, trip.bob, topics=trip.plan_topic + "\n")
    assert (status, body["error"]["code"]) == (400, "bad_topic")
    status, _ = await stream_status(gateway, trip.bob, topics=trip.plan_topic)
    assert status == 200


# ---------------------------------------------------------------------------- 3: SSE topics
def many_topics(trip, count: int) -> tuple[list[str], set[str]]:
    """`count` groups and `count` plans (personal, participated, foreign): the topics, and
    those bob may follow."""
    dave = make_user("dave")
    topics, allowed = [f"user:{trip.bob.pk}", f"user:{dave.pk}"], {f"user:{trip.bob.pk}"}
    for index in range(count):
        mine = index % 2 == 0
        group = make_group(f"g{index}", owner=trip.bob if mine else dave)
        plan = make_plan(creator=dave, participants=[trip.bob] if mine else [])
        topics += [f"group:{group.pk}", f"plan:{plan.pk}"]
        allowed |= {f"group:{group.pk}", f"plan:{plan.pk}"} if mine else set()
    return topics, allowed


@pytest.mark.parametrize("count", [2, 60])
def test_topics_are_authorised_in_a_constant_number_of_queries(
    trip, count, django_assert_max_num_queries
):
    """One query per topic (and two for a plan) made a 500-topic stream cost ~1,000 queries;
    now: the heads, then one query per topic prefix, however many topics."""
    topics, allowed = many_topics(trip, count)
    with django_assert_max_num_queries(3):
        heads, authorised = heads_then_authorise(trip.bob.pk, topics, topics)
    assert authorised == allowed and set(heads) == set(topics)
    assert all(authorise(trip.bob.pk, topic) is (topic in allowed) for topic in topics)


async def test_a_stream_names_at_most_sse_max_topics(gateway, trip):
    """A request naming 51 topics used to be authorised topic by topic (up to 500 allowed)."""
    topics = ",".join(f"plan:{trip.plan.pk + offset}" for offset in range(51))
    status, body = await stream_status(gateway, trip.bob, topics=topics)
    assert (status, body["error"]["code"]) == (400, "too_many_subscriptions")
    assert body["error"]["message"].startswith("At most 50 topics per stream")
    status, _ = await stream_status(gateway, trip.bob, topics=trip.plan_topic)
    assert status == 200


# ---------------------------------------------------------------------------- 8: bad JSON
DEEP = "[" * 2000  # ~1 KB of "[" was enough; too deep for the JSON decoder's recursion limit


def test_json_nested_too_deep_is_a_400_on_the_api(client_for, alice):
    response = client_for(alice).post("/api/v1/groups", DEEP, content_type="application/json")
    assert_error(response, 400, "parse_error")


@pytest.fixture(scope="module")
def capped(django_db_setup, django_db_blocker):
    live = LiveServer(WS_MAX_CONNECTIONS_PER_USER="1").start()
    yield live
    live.stop()


async def ending(ws) -> int | None:
    """Read until the connection ends: the server's close code, None without a close frame."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 15)
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def test_json_nested_too_deep_closes_1007_and_frees_the_slot_and_presence_at_once(
    capped, trip
):
    """The socket used to die without a close frame, and count toward the user's cap (and keep
    them "online") until its idle timeout, ~60 s later."""
    bob = await open_ws(capped, trip.bob)
    await bob.send(json.dumps({"op": "subscribe", "topic": trip.group_topic}))
    await frames_until(bob, "subscribed")
    await bob.send(DEEP)
    assert await ending(bob) == 1007

    again = await open_ws(capped, trip.bob)  # the cap is one connection: the slot is free
    alice = await open_ws(capped, trip.alice)
    await alice.send(json.dumps({"op": "subscribe", "topic": trip.group_topic}))
    await frames_until(alice, "subscribed")
    await alice.send(json.dumps({"op": "presence", "topic": trip.group_topic}))
    assert (await frames_until(alice, "presence"))["online"] == [trip.alice.pk]
    for ws in (again, alice):
        await ws.close()


@pytest.mark.parametrize("frame", ["{not json", "[1, 2]", '"text"', "null"])
async def test_any_frame_that_is_not_a_json_object_closes_1007(gateway, trip, frame):
    ws = await open_ws(gateway, trip.bob)
    await ws.send(frame)
    assert await ending(ws) == 1007


# ---------------------------------------------------------------------------- 16: stalled clients
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
