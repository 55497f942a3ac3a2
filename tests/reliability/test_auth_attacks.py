"""Attacks on authentication against a real server with the production rate limits on: stale
and replayed WebSocket tickets, tickets of deactivated accounts, guessing invite tokens,
brute-forcing and spraying passwords.

(Single use, forged tickets and Origin checks: tests/realtime/test_security.py; each limit's
threshold and reset: tests/ops/test_ratelimit.py; invite semantics: tests/groups/test_invites.py.)
"""

import asyncio
import base64
import json
import secrets

import httpx
import pytest
import websockets

from planpal.accounts.models import User
from planpal.groups.services import invite_create
from tests.conftest import PASSWORD, make_user
from tests.live import LiveServer
from tests.realtime.conftest import rest
from tests.realtime.test_security import new_ticket

pytestmark = pytest.mark.django_db(transaction=True)

TICKET_TTL = 5  # seconds, instead of 30: long enough to use a ticket, short enough to outlive


@pytest.fixture(scope="module")
def guarded(django_db_setup, django_db_blocker):
    """A server with the default rate limits, behind a trusted proxy (127.0.0.1) whose
    X-Forwarded-For names the client: each test attacks from addresses of its own."""
    live = LiveServer(
        RATE_LIMITS="on", WS_TICKET_TTL_SECONDS=str(TICKET_TTL), FORWARDED_ALLOW_IPS="127.0.0.1"
    ).start()
    yield live
    live.stop()


async def outcome(server, ticket: str) -> str | int:
    """The first frame's type ("subscribed") when the ticket opened a connection, else the
    server's close code."""
    async with websockets.connect(f"{server.ws_url}?ticket={ticket}") as ws:
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code
        return frame["type"]


# ---------------------------------------------------------------------------- tickets
async def test_an_expired_ticket_is_refused_with_4001(guarded, trip):
    async with rest(guarded, trip.bob) as api:
        response = await api.post("/realtime/ticket")
    assert response.json()["expires_in"] == TICKET_TTL
    stale, fresh = response.json()["ticket"], await new_ticket(guarded, trip.bob)
    assert await outcome(guarded, fresh) == "subscribed"  # a ticket works within its lifetime
    await asyncio.sleep(TICKET_TTL + 1.5)
    assert await outcome(guarded, stale) == 4001


async def test_a_ticket_dies_with_its_account(guarded, trip):
    ticket = await new_ticket(guarded, trip.bob)
    await asyncio.to_thread(User.objects.filter(pk=trip.bob.pk).update, is_active=False)

    assert await outcome(guarded, ticket) == 4001
    async with rest(guarded, trip.bob) as api:  # as the access token that asked for it
        assert (await api.post("/realtime/ticket")).status_code == 401
    assert await outcome(guarded, await new_ticket(guarded, trip.alice)) == "subscribed"


async def test_a_ticket_replayed_on_two_concurrent_connects_opens_exactly_one(guarded, trip):
    for _ in range(5):
        ticket = await new_ticket(guarded, trip.bob)
        results = await asyncio.gather(outcome(guarded, ticket), outcome(guarded, ticket))
        assert sorted(results, key=str) == [4001, "subscribed"]


# ---------------------------------------------------------------------------- invite tokens
def test_invite_tokens_are_unique_and_carry_256_random_bits(trip):
    tokens = [invite_create(actor=trip.alice, group_id=trip.group.pk)[1] for _ in range(1000)]
    assert len(set(tokens)) == 1000
    raw = [base64.urlsafe_b64decode(token + "=") for token in tokens]
    assert {len(r) for r in raw} == {32}  # token_urlsafe(32): 256 bits
    # Random bits, not a counter or a timestamp: every one of the 256 varies across tokens.
    numbers = [int.from_bytes(r) for r in raw]
    ones = [sum(n >> bit & 1 for n in numbers) for bit in range(256)]
    assert all(0 < count < 1000 for count in ones)


async def guess(server, user, token: str, address: str) -> httpx.Response:
    async with rest(server, user) as api:
        return await api.post(f"/invites/{token}/accept", headers={"X-Forwarded-For": address})


async def test_guessing_invite_tokens_online_is_stopped_long_before_it_could_succeed(guarded, trip):
    _, real = await asyncio.to_thread(invite_create, actor=trip.alice, group_id=trip.group.pk)
    attacker = "203.0.113.7"
    accounts = await asyncio.to_thread(lambda: [make_user(f"mallory{n}") for n in range(4)])

    # One account: 20 guesses an hour (RATE_LIMIT_INVITE_ACCEPT_USER), then 429 ...
    statuses = [
        (await guess(guarded, accounts[0], secrets.token_urlsafe(32), attacker)).status_code
        for _ in range(25)
    ]
    assert statuses == [404] * 20 + [429] * 5
    refused = await guess(guarded, accounts[0], real, attacker)
    assert refused.status_code == 429  # even the right token: the limit comes before the lookup
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    # ... and more accounts from the same address: 60 an hour in all (..._INVITE_ACCEPT_IP),
    # refused requests included.
    statuses = [
        (await guess(guarded, account, secrets.token_urlsafe(32), attacker)).status_code
        for account in accounts[1:]
        for _ in range(20)
    ]
    assert statuses == [404] * (60 - 26) + [429] * (60 - 34)
    assert (await guess(guarded, accounts[3], real, attacker)).status_code == 429
    members = await asyncio.to_thread(
        lambda: set(trip.group.memberships.values_list("user__username", flat=True))
    )
    assert not members & {a.username for a in accounts}

    # The owner's friend, elsewhere, still joins with the link.
    assert (await guess(guarded, trip.carol, real, "198.51.100.20")).status_code == 201
    years = 2**255 / (60 * 24 * 365)
    print(f"\nan address needs ~{years:.1e} years for an even chance of guessing one token")


# ---------------------------------------------------------------------------- passwords
async def login(server, username: str, password: str, address: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1", timeout=10) as api:
        return await api.post(
            "/auth/token",
            json={"username": username, "password": password},
            headers={"X-Forwarded-For": address},
        )


async def test_brute_forcing_one_password_stops_with_429(guarded, trip):
    attempts = [
        (await login(guarded, "bob", f"guess-{n}", f"192.0.2.{n}")).status_code for n in range(12)
    ]
    # Ten tries at one account per 15 minutes (RATE_LIMIT_LOGIN_USERNAME), from any address.
    assert attempts == [401] * 10 + [429] * 2
    refused = await login(guarded, "BOB", PASSWORD, "192.0.2.99")
    assert refused.status_code == 429  # the right password is not even checked meanwhile
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    assert refused.json()["error"]["code"] == "throttled"
    assert (await login(guarded, "alice", PASSWORD, "192.0.2.99")).status_code == 200


async def test_spraying_passwords_from_one_address_stops_with_429(guarded, trip):
    statuses = [
        (await login(guarded, f"victim{n}", "Summer2024!", "198.51.100.66")).status_code
        for n in range(22)
    ]
    assert statuses == [401] * 20 + [429] * 2  # RATE_LIMIT_LOGIN_IP: 20 per 5 minutes
    assert (await login(guarded, "carol", PASSWORD, "198.51.100.66")).status_code == 429
    assert (await login(guarded, "carol", PASSWORD, "198.51.100.67")).status_code == 200
