"""Rate limits: REST per user, per IP and per credential endpoint (429 + Retry-After in the one
error shape, reset when the window ends, fail open without Redis); WebSocket per-user connection
count, per-process connect rate (1013) and per-connection op rate (4008)."""

import asyncio
import json
import logging
import re
import time

import httpx
import pytest
import websockets

from planpal.core import ratelimit
from tests.conftest import PASSWORD, assert_error
from tests.live import LiveServer
from tests.realtime.conftest import token_for, trip  # noqa: F401 - fixture


@pytest.fixture
def limits(settings):
    """limits(name="count/seconds", ...) → those limits on, the others generous."""

    def configure(**rates: str) -> None:
        settings.RATE_LIMITS_ENABLED = True
        settings.RATE_LIMITS = {**dict.fromkeys(settings.RATE_LIMITS, "10000/60"), **rates}

    return configure


def login(anon, username: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return anon.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def test_login_attempts_per_ip_stop_at_the_limit_with_retry_after(anon, alice, limits):
    limits(login_ip="3/60")
    for _ in range(3):
        assert login(anon, "alice", "wrong").status_code == 401
    refused = login(anon, "alice")  # even the right password: the IP is over its limit
    error = assert_error(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in error["message"].lower()
    assert login(anon, "alice", ip="10.0.0.2").status_code == 200  # another address is fine


def test_the_429_says_when_to_come_back_in_the_language_of_the_request(anon, alice, limits):
    limits(login_ip="1/60")
    assert login(anon, "alice").status_code == 200
    english = assert_error(login(anon, "alice"), 429, "throttled")["message"]
    assert re.fullmatch(r"Request was throttled\. Expected available in [0-9]+ seconds?\.", english)
    body = {"username": "alice", "password": PASSWORD}
    refused = anon.post(
        "/api/v1/auth/token", body, format="json", REMOTE_ADDR="10.0.0.1", HTTP_ACCEPT_LANGUAGE="vi"
    )
    vietnamese = assert_error(refused, 429, "throttled")["message"]
    assert re.fullmatch(
        r"Bạn gửi quá nhiều yêu cầu; hãy thử lại sau\. Dự kiến có thể dùng lại sau [0-9]+ giây\.",
        vietnamese,
    )


def test_one_account_cannot_be_brute_forced_from_many_addresses(anon, alice, limits):
    limits(login_username="3/60")
    for n in range(3):
        assert login(anon, "Alice", "wrong", ip=f"10.1.0.{n}").status_code == 401
    assert_error(login(anon, "alice", ip="10.1.0.9"), 429, "throttled")
    assert login(anon, "bob-not-limited", "x", ip="10.1.0.9").status_code == 401


def test_a_limit_resets_when_its_window_ends(anon, alice, limits):
    limits(login_ip="2/1")
    assert login(anon, "alice").status_code == 200
    assert login(anon, "alice").status_code == 200
    assert login(anon, "alice").status_code == 429
    time.sleep(2.1)
    assert login(anon, "alice").status_code == 200


def test_registration_session_login_ticket_and_invite_accept_are_limited(
    anon, client_for, alice, limits
):
    limits(register_ip="1/60", ticket_user="2/60", invite_accept_user="1/60")
    body = {"username": "zoe", "email": "zoe@example.com", "password": PASSWORD}
    assert anon.post("/api/v1/auth/register", body, format="json").status_code == 201
    again = {**body, "username": "zed", "email": "zed@example.com"}
    assert_error(anon.post("/api/v1/auth/register", again, format="json"), 429)

    api = client_for(alice)
    assert api.post("/api/v1/realtime/ticket").status_code == 201
    assert api.post("/api/v1/realtime/ticket").status_code == 201
    assert_error(api.post("/api/v1/realtime/ticket"), 429, "throttled")

    assert api.post("/api/v1/invites/" + "x" * 43 + "/accept").status_code == 404
    assert_error(api.post("/api/v1/invites/" + "y" * 43 + "/accept"), 429)


def test_every_user_has_a_request_budget(client_for, alice, bob, limits):
    limits(user="5/60")
    api = client_for(alice)
    for _ in range(5):
        assert api.get("/api/v1/plans").status_code == 200
    response = api.get("/api/v1/plans")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    assert client_for(bob).get("/api/v1/plans").status_code == 200  # budgets are per user


def test_limits_fail_open_with_a_warning_when_redis_is_down(anon, alice, limits, settings, caplog):
    """The counter of a production process whose Redis is unreachable lets requests through."""
    limits(login_ip="1/60")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ratelimit._counter = None
    try:
        with caplog.at_level(logging.WARNING, logger="planpal.core.ratelimit"):
            for _ in range(3):
                assert login(anon, "alice").status_code == 200
        assert "rate limits off while Redis is unreachable" in caplog.text
        assert caplog.text.count("unreachable") == 1  # one warning per outage, not per request
    finally:
        ratelimit._counter = None


# ---------------------------------------------------------------------------- WebSocket
@pytest.fixture(scope="module")
def limited_server(django_db_setup, django_db_blocker):
    live = LiveServer(
        WS_MAX_CONNECTIONS_PER_USER="2",
        WS_CONNECT_RATE="2",
        WS_CONNECT_BURST="4",
        WS_OPS_PER_SECOND="2",
        WS_OPS_BURST="3",
    ).start()
    yield live
    live.stop()


async def new_ticket(server, user) -> str:
    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1") as api:
        response = await api.post(
            "/realtime/ticket", headers={"Authorization": f"Bearer {token_for(user)}"}
        )
    assert response.status_code == 201, response.text
    return response.json()["ticket"]


async def open_ws(server, user):
    return await websockets.connect(f"{server.ws_url}?ticket={await new_ticket(server, user)}")


async def first_frame_or_close(ws) -> dict | int:
    try:
        return json.loads(await asyncio.wait_for(ws.recv(), 10))
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code


@pytest.mark.django_db(transaction=True)
async def test_websocket_limits_trigger_at_their_thresholds_and_reset(limited_server, trip):  # noqa: F811
    await asyncio.sleep(2.5)  # a full connect bucket
    # Per user: two connections at once, the third is refused with 4008 ...
    first, second = await open_ws(limited_server, trip.bob), await open_ws(limited_server, trip.bob)
    assert (await first_frame_or_close(first))["type"] == "subscribed"
    assert (await first_frame_or_close(second))["type"] == "subscribed"
    await asyncio.sleep(0.3)  # presence of both is recorded
    third = await open_ws(limited_server, trip.bob)
    assert await first_frame_or_close(third) == 4008
    # ... and once one closes, a new one is welcome.
    await second.close()
    await asyncio.sleep(0.3)
    replacement = await open_ws(limited_server, trip.bob)
    assert (await first_frame_or_close(replacement))["type"] == "subscribed"

    # Per connection: 3 ops at once, then 2 per second; beyond it `rate_limited`, later fine.
    for n in range(4):
        await first.send(json.dumps({"op": "ping", "ref": n}))
    frames = [json.loads(await asyncio.wait_for(first.recv(), 5)) for _ in range(4)]
    assert [f["type"] for f in frames].count("pong") == 3
    assert (frames[-1]["type"], frames[-1]["code"]) == ("error", "rate_limited")
    await asyncio.sleep(1.0)
    await first.send(json.dumps({"op": "ping", "ref": "later"}))
    assert json.loads(await asyncio.wait_for(first.recv(), 5)) == {"type": "pong", "ref": "later"}
    for ws in (first, replacement):
        await ws.close()

    # Per process: a burst of 4 new connections, then 2 per second; more are shed with 1013.
    await asyncio.sleep(2.5)
    # Six valid connections within their users' caps (a connection the cap refuses spends no
    # budget).
    users = (trip.alice, trip.carol, trip.bob) * 2
    tickets = [await new_ticket(limited_server, user) for user in users]
    storm = await asyncio.gather(
        *(websockets.connect(f"{limited_server.ws_url}?ticket={t}") for t in tickets)
    )
    outcomes = [await first_frame_or_close(ws) for ws in storm]
    assert 1013 in outcomes, outcomes
    assert sum(isinstance(o, dict) for o in outcomes) >= 4
    for ws in storm:
        await ws.close()
    await asyncio.sleep(1.0)
    calm = await open_ws(limited_server, trip.carol)
    assert (await first_frame_or_close(calm))["type"] == "subscribed"
    await calm.close()
