"""A real web process reuses its database connections: REST reads and WebSocket connects (ticket,
account check, topic subscription with its head read) open almost no new ones. The server reaches
the database through a loopback proxy that counts the connections opened through it."""

import asyncio
import json

import httpx
import pytest
import websockets
from django.db import connection

from tests.live import LiveServer, LoopbackProxy
from tests.realtime.conftest import token_for
from tests.reliability.test_database_outage import require_server_database, through

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

REQUESTS = 1000
# The target: at most 50 new connections per 1,000 requests (each of the process's
# request and gateway threads opens one when it is first used).
MOST_NEW_CONNECTIONS = 50


@pytest.fixture
def counted(django_db_setup, django_db_blocker):
    """(proxy, server): a server that reaches the database only through the counting proxy."""
    require_server_database()
    proxy = LoopbackProxy(int(connection.settings_dict["PORT"] or 3306)).start()
    server = LiveServer(DATABASE_URL=through(proxy), HEALTH_OPTIONAL_CHECKS="worker").start()
    yield proxy, server
    server.stop()
    proxy.stop()


async def connect_and_subscribe(http: httpx.AsyncClient, ws_url: str, topic: str) -> None:
    ticket = (await http.post("realtime/ticket")).json()["ticket"]
    async with websockets.connect(f"{ws_url}?ticket={ticket}") as socket:
        await socket.send(json.dumps({"op": "subscribe", "topic": topic, "ref": "s"}))
        while (frame := json.loads(await socket.recv())).get("ref") != "s":
            pass
        assert frame["type"] == "subscribed", frame


async def reads_and_connects(server, user, plan) -> int:
    """REQUESTS requests: me, plan list, plan detail, and every tenth a ticket + WebSocket."""
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    async with httpx.AsyncClient(
        base_url=f"{server.url}/api/v1", headers=headers, timeout=30
    ) as http:
        for index in range(REQUESTS):
            if index % 10 == 9:
                await connect_and_subscribe(http, server.ws_url, f"plan:{plan.pk}")
                continue
            path = ("me", "plans", f"plans/{plan.pk}")[index % 3]
            response = await http.get(path)
            assert response.status_code == 200, response.text
    return REQUESTS


def test_a_thousand_requests_open_few_database_connections(counted, trip):
    proxy, server = counted
    opened_at_start = proxy.connections
    asyncio.run(reads_and_connects(server, trip.alice, trip.plan))
    opened = proxy.connections - opened_at_start
    print(f"\n{REQUESTS} requests opened {opened} database connections")
    assert opened <= MOST_NEW_CONNECTIONS
