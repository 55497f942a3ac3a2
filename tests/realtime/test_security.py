"""Who may connect and follow what, and how the gateway treats hostile or broken clients."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.realtime.conftest import rest, token_for

pytestmark = pytest.mark.django_db(transaction=True)


async def new_ticket(server, user) -> str:
    async with rest(server, user) as api:
        response = await api.post("/realtime/ticket")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["expires_in"] <= 60 and body["ws_url"].endswith("/ws/")
    return body["ticket"]


async def close_code(ws) -> int:
    """Read until the server closes; return its close code."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    return closed.value.rcvd.code


async def frames_until(ws, frame_type: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] == frame_type:
            return frame


async def test_ticket_works_once(server, trip):
    ticket = await new_ticket(server, trip.bob)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        welcome = await frames_until(ws, "subscribed")
        assert welcome["topic"] == f"user:{trip.bob.pk}"
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        assert await close_code(ws) == 4001


async def test_forged_ticket_and_missing_credentials_are_refused(server, trip):
    async with websockets.connect(f"{server.ws_url}?ticket={'x' * 43}") as ws:
        assert await close_code(ws) == 4001
    async with websockets.connect(server.ws_url) as ws:
        assert await close_code(ws) == 4001


async def test_ticket_endpoint_needs_authentication(server):
    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1") as api:
        response = await api.post("/realtime/ticket")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def session_cookie(server, user) -> str:
    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1") as api:
        response = await api.post(
            "/auth/login",
            json={"username": user.username, "password": "correct-horse-battery-staple"},
        )
        assert response.status_code == 200, response.text
        return f"sessionid={api.cookies['sessionid']}"


async def test_session_cookie_needs_an_allowed_origin(server, trip):
    cookie = await session_cookie(server, trip.bob)
    evil = {"Cookie": cookie, "Origin": "https://evil.example"}
    async with websockets.connect(server.ws_url, additional_headers=evil) as ws:
        assert await close_code(ws) == 4003
    ours = {"Cookie": cookie, "Origin": server.url}
    async with websockets.connect(server.ws_url, additional_headers=ours) as ws:
        welcome = await frames_until(ws, "subscribed")
        assert welcome["topic"] == f"user:{trip.bob.pk}"


async def test_stranger_cannot_follow_a_plan_or_group(server, trip, connect):
    carol = await connect(trip.carol)
    for topic in (trip.plan_topic, trip.group_topic, f"user:{trip.bob.pk}"):
        await carol.send({"op": "subscribe", "topic": topic, "ref": "s"})
        error = await carol.next_frame(type="error")
        assert (error["code"], error["ref"]) == ("forbidden", "s")


async def test_removed_member_is_unsubscribed_and_hears_nothing_more(server, trip, connect):
    bob = await connect(trip.bob)
    alice = await connect(trip.alice)
    for client in (bob, alice):
        await client.subscribe(trip.plan_topic)
        await client.next_frame(type="subscribed")

    async with rest(server, trip.alice) as api:
        response = await api.delete(f"/groups/{trip.group.pk}/members/{trip.bob.pk}")
        assert response.status_code == 204, response.text
        left = await bob.next_frame(type="unsubscribed")
        assert (left["topic"], left["reason"]) == (trip.plan_topic, "revoked")

        response = await api.post(f"/activities/{trip.activities[0].pk}/complete")
        assert response.status_code == 200
    # Alice hears the completion; by then Bob would have too, had he still been subscribed.
    while (await alice.next_frame(type="event"))["event"] != "plan.activity_completed":
        pass
    await asyncio.sleep(0.3)
    while not bob._frames.empty():
        frame = bob._frames.get_nowait()
        assert frame.get("topic") != trip.plan_topic or frame["type"] != "event", frame

    await bob.send({"op": "subscribe", "topic": trip.plan_topic, "ref": "again"})
    assert (await bob.next_frame(type="error"))["code"] == "forbidden"


async def test_bad_frames_get_error_frames_and_the_connection_stays_open(server, trip):
    ticket = await new_ticket(server, trip.bob)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        await frames_until(ws, "subscribed")
        # Text that is not a JSON object closes 1007 (test_gateway_attacks.py).
        cases = [
            ('{"op": "teleport"}', "unknown_op"),
            ('{"op": 7}', "unknown_op"),
            ('{"op": "subscribe", "topic": "plan:abc"}', "bad_topic"),
            ('{"op": "subscribe", "topic": "moon:1"}', "bad_topic"),
            ('{"op": "subscribe", "topic": ["plan:1"]}', "bad_topic"),
            (f'{{"op": "subscribe", "topic": "{trip.plan_topic}", "since": -1}}', "bad_since"),
            (f'{{"op": "subscribe", "topic": "{trip.plan_topic}", "since": "3"}}', "bad_since"),
            ('{"op": "unsubscribe", "topic": "plan:999999"}', "not_subscribed"),
            ('{"op": "unsubscribe", "topic": []}', "not_subscribed"),  # found by the fuzzer
            ('{"op": "typing", "topic": "group:999999"}', "not_subscribed"),
        ]
        for raw, code in cases:
            await ws.send(raw)
            error = await frames_until(ws, "error")
            assert error["code"] == code, (raw, error)
        await ws.send(b"\x00\x01binary")
        assert (await frames_until(ws, "error"))["code"] == "bad_frame"
        await ws.send(json.dumps({"op": "ping", "ref": 9}))
        assert (await frames_until(ws, "pong"))["ref"] == 9


async def test_oversized_frame_closes_with_1009_and_server_stays_up(server, trip):
    ticket = await new_ticket(server, trip.bob)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        await frames_until(ws, "subscribed")
        await ws.send(json.dumps({"op": "ping", "pad": "x" * 100_000}))
        assert await close_code(ws) == 1009
    ticket = await new_ticket(server, trip.bob)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        assert (await frames_until(ws, "subscribed"))["type"] == "subscribed"


async def test_flood_is_told_to_slow_down_then_closed_with_4008(server, trip):
    ticket = await new_ticket(server, trip.bob)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        await frames_until(ws, "subscribed")
        for _ in range(400):
            await ws.send('{"op":"ping"}')
        assert (await frames_until(ws, "error"))["code"] == "rate_limited"
        assert await close_code(ws) == 4008
    assert server.alive()


async def test_typing_reaches_other_members_but_not_the_typist(server, trip, connect):
    bob = await connect(trip.bob)
    alice = await connect(trip.alice)
    for client in (bob, alice):
        await client.subscribe(trip.group_topic)
        await client.next_frame(type="subscribed")
    await alice.send({"op": "typing", "topic": trip.group_topic})
    typing = await bob.next_frame(type="typing")
    assert typing == {"type": "typing", "topic": trip.group_topic, "user": trip.alice.pk}

    await bob.send({"op": "presence", "topic": trip.group_topic, "ref": "p"})
    presence = await bob.next_frame(type="presence")
    assert presence["online"] == sorted([trip.alice.pk, trip.bob.pk])
    assert alice._frames.empty() or all(
        f.get("type") != "typing" for f in list(alice._frames._queue)
    )


def test_access_token_is_never_accepted_in_the_url(server, trip):
    import asyncio as aio

    async def attempt():
        url = f"{server.ws_url}?token={token_for(trip.bob)}"
        async with websockets.connect(url) as ws:
            return await close_code(ws)

    assert aio.run(attempt()) == 4001


async def test_a_ticket_issued_before_a_credential_revocation_is_refused(server, trip):
    """Issue 13 #6: the ticket carries the account's token version, checked when it is used."""
    from django.db.models import F

    from planpal.accounts.models import User

    ticket = await new_ticket(server, trip.bob)
    await User.objects.filter(pk=trip.bob.pk).aupdate(token_version=F("token_version") + 1)
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        assert await close_code(ws) == 4001
