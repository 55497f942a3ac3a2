"""End-to-end fixtures: a real server process, a trip with members, realtime clients."""

import os
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from planpal.client import RealtimeClient
from tests.conftest import make_user
from tests.factories import make_group, make_trip_plan
from tests.live import LiveServer


def require_redis() -> None:
    """Redis-only tests: skipped with a reason in embedded runs, never in CI's service run."""
    if not settings.REDIS_URL:
        if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
            pytest.fail("PLANPAL_REQUIRE_SERVICES is set but REDIS_URL is not")
        pytest.skip("needs Redis: set REDIS_URL (CI runs this with MariaDB + Redis)")


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    live = LiveServer().start()
    yield live
    live.stop()


def token_for(user) -> str:
    return str(AccessToken.for_user(user))


def rest(server, user) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=f"{server.url}/api/v1",
        headers={"Authorization": f"Bearer {token_for(user)}"},
        timeout=10,
    )


@pytest.fixture
def trip(transactional_db):
    """alice (owner) and bob (member) share a group and an upcoming plan with three activities;
    carol is a stranger to both."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    group = make_group("Dalat trip", owner=alice, members=[bob])
    start = timezone.now() + timedelta(days=3)
    plan = make_trip_plan(group, creator=alice, start=start)
    activities = plan.activities_made
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        group=group,
        plan=plan,
        activities=activities,
        plan_topic=f"plan:{plan.pk}",
        group_topic=f"group:{group.pk}",
    )


@pytest.fixture
async def connect(server):
    """connect(user, server=...) → a started RealtimeClient; all are closed after the test."""
    clients: list[RealtimeClient] = []

    async def open_client(user, on=None) -> RealtimeClient:
        client = RealtimeClient((on or server).url, access_token=token_for(user), ping_seconds=5)
        await client.start()
        await client.next_frame(type="subscribed")  # the automatic user:<id> subscription
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        await client.close()
