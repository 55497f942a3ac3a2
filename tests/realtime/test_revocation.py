"""Revoked credentials end live connections at once (issue 13 #6 and #13): a password change
closes the user's other WebSockets (4001) and SSE streams, a browser logout closes that
session's."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.conftest import PASSWORD
from tests.realtime.conftest import token_for
from tests.realtime.sse import SseStream
from tests.realtime.test_security import close_code, frames_until, new_ticket

pytestmark = pytest.mark.django_db(transaction=True)


async def browser(server, user) -> httpx.AsyncClient:
    """A signed-in browser session: its cookies, and the CSRF header its writes need."""
    api = httpx.AsyncClient(base_url=f"{server.url}/api/v1", timeout=10)
    login = await api.post("/auth/login", json={"username": user.username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    api.headers["X-CSRFToken"] = api.cookies["csrftoken"]
    return api


async def socket_of(server, api: httpx.AsyncClient):
    headers = {"Cookie": f"sessionid={api.cookies['sessionid']}", "Origin": server.url}
    ws = await websockets.connect(server.ws_url, additional_headers=headers)
    await frames_until(ws, "subscribed")
    return ws


async def still_open(ws) -> bool:
    await ws.send(json.dumps({"op": "ping", "ref": "alive"}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] == "pong":
            return frame["ref"] == "alive"


async def test_a_password_change_closes_the_users_other_connections(server, trip):
    """Issue 13 #6: the other browser's WebSocket, an app's ticket WebSocket and an SSE stream
    end; the WebSocket of the session that changed the password stays open and hears why."""
    this, other = await browser(server, trip.bob), await browser(server, trip.bob)
    this_ws, other_ws = await socket_of(server, this), await socket_of(server, other)
    ticket = await new_ticket(server, trip.bob)
    app_ws = await websockets.connect(f"{server.ws_url}?ticket={ticket}")
    await frames_until(app_ws, "subscribed")
    stream = await SseStream.open(
        server.url,
        headers={"Authorization": f"Bearer {token_for(trip.bob)}"},
        topics=f"user:{trip.bob.pk}",
    )
    await stream.frame("subscribed")
    try:
        body = {"old_password": PASSWORD, "new_password": "a-brand-new-passphrase-42"}
        assert (await this.post("/me/password", json=body)).status_code == 204

        assert await close_code(other_ws) == 4001
        assert await close_code(app_ws) == 4001
        event = await stream.frame("event")
        assert event.data["event"] == "user.credentials_revoked"
        assert await stream.next() is not None  # the reason, as a comment
        assert await stream.next() is None  # then the response ends
        heard = await frames_until(this_ws, "event")
        assert heard["event"] == "user.credentials_revoked"
        assert await still_open(this_ws)
    finally:
        await stream.close()
        for ws in (this_ws, other_ws, app_ws):
            await ws.close()
        await this.aclose()
        await other.aclose()


async def test_logging_out_closes_that_sessions_connections(server, trip):
    """Issue 13 #13: a session-cookie WebSocket kept streaming after its session logged out
    (failed before: no close). Another session of the same user keeps its connection."""
    leaving, staying = await browser(server, trip.bob), await browser(server, trip.bob)
    leaving_ws, staying_ws = await socket_of(server, leaving), await socket_of(server, staying)
    cookie = f"sessionid={leaving.cookies['sessionid']}"
    stream = await SseStream.open(server.url, headers={"Cookie": cookie}, topics=trip.plan_topic)
    await stream.frame("subscribed")
    try:
        assert (await leaving.post("/auth/logout")).status_code == 204

        assert await close_code(leaving_ws) == 4001
        while (message := await stream.next()) is not None:
            assert not (message.data and message.data.get("type") == "event")  # nothing more
        assert await still_open(staying_ws)
    finally:
        await stream.close()
        for ws in (leaving_ws, staying_ws):
            await ws.close()
        await leaving.aclose()
        await staying.aclose()
