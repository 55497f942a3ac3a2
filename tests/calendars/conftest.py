"""Calendar fixtures. The "Lisbon trip" group: alice owns it, bob is a member, dave an outsider;
`trip_plan` is bob's plan there with two activities, one of them with a place."""

from decimal import Decimal

import pytest

from planpal.groups.models import Group
from planpal.plans.models import Plan
from tests.factories import make_group
from tests.plans.factories import make_activity, make_plan


@pytest.fixture
def trip(alice, bob, dave) -> Group:
    return make_group("Lisbon trip", owner=alice, members=[bob])


@pytest.fixture
def trip_plan(trip, bob) -> Plan:
    plan = make_plan(bob, group=trip, title="Lisbon", description="Sun and tiles")
    make_activity(
        bob,
        plan,
        start_hour=2,
        title="Tram 28",
        location_name="Martim Moniz",
        location_address="Praça Martim Moniz, Lisboa",
        lat=Decimal("38.716500"),
        lng=Decimal("-9.136000"),
    )
    make_activity(bob, plan, start_hour=6, title="Dinner", kind="food", notes="Book a table")
    return plan


@pytest.fixture
def as_(client_for, alice, bob, dave):
    users = {"alice": alice, "bob": bob, "dave": dave}
    return lambda name: client_for(users[name])
