"""Attacks on the gateway found from outside (issue 13 items 3, 5, 8, 16, 22), against a real
server: each test failed on the code before its fix (docs/reliability.md, "Attacks found from
outside")."""

import asyncio
import json
from types import SimpleNamespace

import pytest
import websockets

from planpal.realtime.admission import client_address
from planpal.realtime.authorisers import authorise, parse_topic
from planpal.realtime.presence import RedisPresence
from planpal.realtime.subscriptions import heads_then_authorise
from tests.conftest import assert_error, make_user
from tests.factories import insert_plan, make_group
from tests.live import LiveServer
from tests.realtime.conftest import require_redis, token_for
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
        plan = insert_plan(creator=dave, participants=[trip.bob] if mine else [])
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
    check = (trip.bob.pk, tuple(topics), tuple(topics))
    with django_assert_max_num_queries(3):
        [(heads, authorised)] = heads_then_authorise([check]).values()
    assert authorised == allowed and set(heads) == set(topics)
    assert all(authorise(trip.bob.pk, topic) is (topic in allowed) for topic in topics)


def test_a_burst_of_subscribes_is_checked_together(trip, django_assert_max_num_queries):
    """Connections of many users subscribing at once (a reconnect storm) share one trip: each
    gets its own answer, in the queries one connection needed."""
    topics, allowed = many_topics(trip, 20)
    users = [trip.alice, trip.bob, trip.carol]
    checks = [(user.pk, tuple(topics), tuple(topics[:3])) for user in users]
    checks.append((trip.bob.pk, (trip.plan_topic,), ()))
    with django_assert_max_num_queries(3):
        answers = heads_then_authorise(checks)
    for user, check in zip(users, checks[:3], strict=True):
        heads, authorised = answers[check]
        assert set(heads) == set(topics[:3])
        assert authorised == {topic for topic in topics if authorise(user.pk, topic)}
    assert answers[checks[1]][1] == allowed  # bob's, as alone
    assert answers[checks[-1]] == ({}, {trip.plan_topic})


async def test_a_stream_names_at_most_sse_max_topics(gateway, trip):
    """A request naming 51 topics used to be authorised topic by topic (up to 500 allowed)."""
    topics = ",".join(f"plan:{trip.plan.pk + offset}" for offset in range(51))
    status, body = await stream_status(gateway, trip.bob, topics=topics)
    assert (status, body["error"]["code"]) == (400, "too_many_subscriptions")
    assert body["error"]["message"].startswith("At most 50 topics per stream")
    status, _ = await stream_status(gateway, trip.bob, topics=trip.plan_topic)
    assert status == 200


# ---------------------------------------------------------------------------- 3: SSE limits
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


async def ws_outcome(server, ticket: str, address: str | None = None) -> str | int:
    """ "subscribed" once the connection is admitted, else the server's close code. `address`:
    the client address the server sees (X-Forwarded-For, trusted from loopback)."""
    headers = {"X-Forwarded-For": address} if address else None
    ws = await websockets.connect(f"{server.ws_url}?ticket={ticket}", additional_headers=headers)
    try:
        return (await frames_until(ws, "subscribed"))["type"]
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else -1
    finally:
        await ws.close()


async def test_sse_streams_and_websockets_share_the_per_user_cap(capped, trip):
    """A stream used to count toward no cap: a user at the cap of WebSockets still opened
    streams, and WebSockets did not count streams. Now one cap for both (here one)."""
    ws = await open_ws(capped, trip.bob)
    status, body = await stream_status(capped, trip.bob, topics=trip.plan_topic)
    assert (status, body["error"]["code"]) == (429, "too_many_connections")
    await ws.close()
    await asyncio.sleep(0.5)  # the server has seen the close

    headers = {"Authorization": f"Bearer {token_for(trip.bob)}"}
    stream = await SseStream.open(capped.url, headers=headers, topics=trip.plan_topic)
    assert stream.response.status_code == 200
    await stream.frame("subscribed")
    assert await ws_outcome(capped, await new_ticket(capped, trip.bob)) == 4008
    assert await ws_outcome(capped, await new_ticket(capped, trip.alice)) == "subscribed"
    await stream.close()
    await asyncio.sleep(0.5)
    assert await ws_outcome(capped, await new_ticket(capped, trip.bob)) == "subscribed"


async def test_frames_of_a_connection_over_the_cap_are_ignored_without_an_error(capped, trip):
    """A client that subscribes right after the socket opens, before it hears that it is over
    its cap: those frames reached presence for a connection never registered and raised (an
    "Exception in ASGI application" per refused connection in the bench's writes scenario)."""
    first = await open_ws(capped, trip.bob)
    errors_before = capped.log_path.read_text().count("Exception in ASGI application")
    ws = await websockets.connect(f"{capped.ws_url}?ticket={await new_ticket(capped, trip.bob)}")
    for ref in ("s1", "s2"):
        await ws.send(json.dumps({"op": "subscribe", "topic": trip.plan_topic, "ref": ref}))
    assert await ending(ws) == 4008
    await first.close()
    await asyncio.sleep(0.5)  # the server has logged whatever the frames caused
    assert capped.log_path.read_text().count("Exception in ASGI application") == errors_before


async def test_racing_admissions_take_at_most_the_free_slots(transactional_db):
    """Two processes admitting the same user at once must not both take the last slot."""
    require_redis()
    from planpal.realtime.transport import command_client

    hub = SimpleNamespace(users={}, spawn=asyncio.ensure_future)
    presence = RedisPresence(hub, command_client())
    user = SimpleNamespace(user_id=987_654_321)
    racers = [SimpleNamespace(user_id=user.user_id, conn_id=f"racer{n}") for n in range(8)]
    try:
        taken = await asyncio.gather(*(presence.take_slot(racer, 3) for racer in racers))
        assert sum(taken) == 3
        await presence.forget(user.user_id, racers[taken.index(True)].conn_id)
        assert await presence.take_slot(racers[0], 3)
    finally:
        for racer in racers:
            await presence.forget(user.user_id, racer.conn_id)


@pytest.fixture(scope="module")
def connect_limited(django_db_setup, django_db_blocker):
    """A process that admits 3 connections at once, then one every 20 seconds (a test has time)."""
    live = LiveServer(WS_CONNECT_RATE="0.05", WS_CONNECT_BURST="3").start()
    yield live
    live.stop()


async def test_sse_streams_go_through_the_connect_rate_limit(connect_limited, trip):
    """Streams used to open without limit while WebSockets were shed with 1013; now both spend
    the process's one connect budget."""
    headers = {"Authorization": f"Bearer {token_for(trip.bob)}"}
    streams = await asyncio.gather(
        *(
            SseStream.open(connect_limited.url, headers=headers, topics=trip.plan_topic)
            for _ in range(6)
        )
    )
    try:
        statuses = sorted(stream.response.status_code for stream in streams)
        assert statuses == [200] * 3 + [503] * 3
        shed = next(s.response for s in streams if s.response.status_code == 503)
        assert json.loads(await shed.aread())["error"]["code"] == "unavailable"
        assert int(shed.headers["Retry-After"]) >= 1
        ticket = await new_ticket(connect_limited, trip.alice)
        assert await ws_outcome(connect_limited, ticket) == 1013
    finally:
        for stream in streams:
            await stream.close()


# ---------------------------------------------------------------------------- 5: bogus handshakes
@pytest.fixture(scope="module")
def flooded(django_db_setup, django_db_blocker):
    """Budgets small enough to flood: the process admits 3 connections at once, then one every
    20 s; an address may have 5 handshakes refused for their credential, then one every 20 s."""
    live = LiveServer(
        RATE_LIMITS="on",
        WS_CONNECT_RATE="0.05",
        WS_CONNECT_BURST="3",
        WS_REFUSED_CONNECT_RATE="0.05",
        WS_REFUSED_CONNECT_BURST="5",
    ).start()
    yield live
    live.stop()


async def test_a_flood_of_bogus_handshakes_does_not_shed_a_valid_user(flooded, trip):
    """Bogus tickets used to spend the process's connect budget before being checked: after a
    flood from one address, a valid user elsewhere was closed with 1013. Now the flooding
    address pays for its refusals (4001, then 4008 before its tickets are even read)."""
    attacker = "203.0.113.7"
    outcomes = [await ws_outcome(flooded, "x" * 43, attacker) for _ in range(20)]
    assert await ws_outcome(flooded, await new_ticket(flooded, trip.bob)) == "subscribed"
    assert outcomes[:5] == [4001] * 5 and outcomes.count(4008) >= 14, outcomes
    assert set(outcomes) == {4001, 4008}

    # The flooding address is refused before its credential is read: its ticket is not used.
    ticket = await new_ticket(flooded, trip.carol)
    assert await ws_outcome(flooded, ticket, attacker) == 4008
    assert await ws_outcome(flooded, ticket, "198.51.100.9") == "subscribed"


@pytest.mark.parametrize(
    ("client", "address"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # a host holds a /64: one budget
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("not an address", "not an address"),
    ],
)
def test_an_address_budget_is_per_ipv4_address_or_ipv6_64(client, address):
    assert client_address({"client": (client, 1234)}) == address


async def test_a_flood_of_bogus_stream_requests_is_refused_per_address(flooded, trip):
    bogus = {"Authorization": "Bearer not-a-token", "X-Forwarded-For": "203.0.113.8"}
    statuses = []
    for _ in range(12):
        stream = await SseStream.open(flooded.url, headers=bogus, topics=trip.plan_topic)
        statuses.append(stream.response.status_code)
        if stream.response.status_code == 429:
            body = json.loads(await stream.response.aread())
            assert body["error"]["code"] == "throttled"
            assert int(stream.response.headers["Retry-After"]) >= 1
        await stream.close()
    assert statuses == [401] * 5 + [429] * 7
    status, _ = await stream_status(flooded, trip.bob, topics=trip.plan_topic)
    assert status == 200


# ---------------------------------------------------------------------------- 8: bad JSON
DEEP = "[" * 2000  # ~1 KB of "[" was enough; too deep for the JSON decoder's recursion limit


def test_json_nested_too_deep_is_a_400_on_the_api(client_for, alice):
    response = client_for(alice).post("/api/v1/groups", DEEP, content_type="application/json")
    assert_error(response, 400, "parse_error")


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
