"""Shared fixtures: fixed personas (alice, bob, carol, dave), API clients acting as them, and the
"Lisbon trip" most app tests share: alice owns the group, carol is an admin, bob a member, dave
an outsider; `trip_plan` is a group plan bob created there (through the plans services), three
weeks from now, four days long. A folder whose tests need another trip defines its own."""

from collections.abc import Iterable

import pytest
from rest_framework.test import APIClient

from planpal.accounts.models import User
from planpal.groups.models import Group
from planpal.plans.models import Plan
from planpal.realtime.models import Event
from tests.factories import make_group
from tests.plans.factories import make_plan

PASSWORD = "correct-horse-battery-staple"
# Server processes started by tests use it too (tests/live.py), so test users can log in there.
FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are hashed once per test; the production hasher makes that slow."""
    settings.PASSWORD_HASHERS = [FAST_PASSWORD_HASHER]


@pytest.fixture(autouse=True)
def fan_out_in_this_process(settings):
    """No Celery worker runs beside a test: the notifications after a commit are written in the
    test's own process (the worker path's tests turn FANOUT_IN_WORKER on and start a worker)."""
    settings.FANOUT_IN_WORKER = False


@pytest.fixture(autouse=True)
def fresh_limits_and_cache():
    """Rate-limit counts and cached API snapshots never outlive a test: ids are reused."""
    from planpal.core import apicache, ratelimit

    ratelimit.reset()
    apicache.clear()


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        display_name=extra.pop("display_name", username.capitalize()),
        **extra,
    )


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol")


@pytest.fixture
def dave(db):
    return make_user("dave")


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for(db):
    """client_for(user) → an APIClient authenticated as that user (JWT in the header)."""

    def build(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return build


@pytest.fixture
def as_(client_for, alice, bob, carol, dave):
    """as_("bob") → an API client authenticated as that persona (the same one for the test)."""
    users = {"alice": alice, "bob": bob, "carol": carol, "dave": dave}
    clients: dict[str, APIClient] = {}

    def client(name: str) -> APIClient:
        if name not in clients:
            clients[name] = client_for(users[name])
        return clients[name]

    return client


@pytest.fixture
def trip(alice, bob, carol, dave) -> Group:
    return make_group("Lisbon trip", owner=alice, admins=[carol], members=[bob])


@pytest.fixture
def trip_plan(trip, bob) -> Plan:
    return make_plan(bob, group=trip)


@pytest.fixture
def events(db):
    """events("plan:1") → the event log of a topic as (seq, name, payload) in order.

    A user topic also carries the notification planner's events (notification.created, ...)
    between the domain events. To look at some events only: names={"friend.requested", ...}
    keeps those names, prefix="friend." the names that start with it. The seqs stay the topic's
    real ones, so a filtered log may skip seqs."""

    def read(
        topic: str, *, names: Iterable[str] | None = None, prefix: str | None = None
    ) -> list[tuple[int, str, dict]]:
        rows = Event.objects.filter(topic=topic).order_by("seq")
        if names is not None:
            rows = rows.filter(name__in=set(names))
        if prefix is not None:
            rows = rows.filter(name__startswith=prefix)
        return [(row.seq, row.name, row.payload) for row in rows]

    return read


def public(user) -> dict:
    """What anyone may see about a user, as the API and the events show it."""
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
    }


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"]), body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]
