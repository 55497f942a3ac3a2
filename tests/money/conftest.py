"""Money fixtures. The "Lisbon trip" group: alice owns it, carol is an admin, bob a member, dave an
outsider. `trip_plan` is a group plan bob created there."""

import pytest

from planpal.groups.models import Group
from planpal.plans.models import Plan
from tests.factories import make_group
from tests.plans.factories import make_plan


@pytest.fixture
def trip(alice, bob, carol, dave) -> Group:
    return make_group("Lisbon trip", owner=alice, admins=[carol], members=[bob])


@pytest.fixture
def trip_plan(trip, bob) -> Plan:
    return make_plan(bob, group=trip)


@pytest.fixture
def as_(client_for, alice, bob, carol, dave):
    """as_("bob") → an API client authenticated as that persona."""
    users = {"alice": alice, "bob": bob, "carol": carol, "dave": dave}
    return lambda name: client_for(users[name])
