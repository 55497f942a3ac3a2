"""Web processes serve requests on a fixed set of long-lived threads (planpal.core.request_threads),
each keeping its database connection between requests: reused, bounded, health-checked, and never
carrying a transaction a request left open into the next request."""

import asyncio
import json
import os

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.contrib.sessions.models import Session
from django.db import connection

from planpal.core.request_threads import PersistentThreadsHandler
from tests.ops import request_threads_urls as views

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.ops.request_threads_urls"),
]


def require_server_database() -> None:
    """SQLite closes its connections after each request (CONN_MAX_AGE=0): nothing to reuse."""
    if connection.vendor != "sqlite":
        return
    reason = "needs MariaDB or PostgreSQL (DATABASE_URL): SQLite connections are not kept"
    if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
        pytest.fail(f"PLANPAL_REQUIRE_SERVICES is set but this test {reason}")
    pytest.skip(reason)


@pytest.fixture
def handler_with():
    handlers = []

    def build(threads: int) -> PersistentThreadsHandler:
        handlers.append(PersistentThreadsHandler(threads))
        return handlers[-1]

    yield build
    for handler in handlers:
        handler.threads.close()


async def get(app, path: str) -> dict:
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    request = ApplicationCommunicator(app, scope)
    await request.send_input({"type": "http.request", "body": b""})
    start = await request.receive_output(20)
    body = await request.receive_output(20)
    await request.wait(20)  # the request is over: its thread is free again
    assert start["status"] == 200, body["body"][:500]
    return json.loads(body["body"])


def test_requests_on_one_thread_share_its_database_connection(handler_with):
    require_server_database()
    app = handler_with(threads=1)

    async def three_requests():
        return [await get(app, "/whoami") for _ in range(3)]

    answers = asyncio.run(three_requests())
    assert len({answer["thread"] for answer in answers}) == 1
    assert len({answer["connection"] for answer in answers}) == 1


def test_no_more_requests_run_at_once_than_there_are_threads(handler_with):
    app = handler_with(threads=2)
    views.running.update(now=0, most=0)

    async def six_at_once():
        return await asyncio.gather(*(get(app, "/slow") for _ in range(6)))

    answers = asyncio.run(six_at_once())
    assert len(answers) == 6  # every request answered, the later ones after waiting
    assert views.running["most"] == 2
    assert len({answer["thread"] for answer in answers}) == 2


def test_a_transaction_left_open_by_a_request_is_rolled_back_not_reused(handler_with):
    app = handler_with(threads=1)

    async def leak_then_ask():
        return await get(app, "/leak"), await get(app, "/whoami")

    leaked, after = asyncio.run(leak_then_ask())
    assert not Session.objects.filter(session_key=views.LEAKED_SESSION_KEY).exists()
    assert after["autocommit"] is True
    assert after["connection"] != leaked["connection"]


def test_a_connection_the_database_dropped_between_requests_is_replaced(handler_with):
    require_server_database()
    app = handler_with(threads=1)

    def drop(connection_id) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "mysql":
                cursor.execute(f"KILL CONNECTION {int(connection_id)}")
            else:
                cursor.execute("SELECT pg_terminate_backend(%s)", [connection_id])
        connection.close()

    async def ask_drop_ask():
        before = await get(app, "/whoami")
        # From another connection, while the request thread idles.
        await sync_to_async(drop, thread_sensitive=False)(before["connection"])
        return before, await get(app, "/whoami")

    before, after = asyncio.run(ask_drop_ask())
    assert after["thread"] == before["thread"]
    assert after["connection"] != before["connection"]
