"""Plan fixtures. The "Lisbon trip" group: alice owns it, carol is an admin, bob a member, dave an
outsider. `trip_plan` is a group plan bob created there, three weeks from now, four days long.
`personal_plan` is alice's own plan (no group) in which her friend bob takes part; carol is also
her friend but does not take part."""

import pytest

from planpal.groups.models import Group
from planpal.plans import services
from planpal.plans.models import Plan
from tests.factories import befriend, make_group
from tests.plans.factories import make_plan


@pytest.fixture
def trip(alice, bob, carol, dave) -> Group:
    return make_group("Lisbon trip", owner=alice, admins=[carol], members=[bob])


@pytest.fixture
def trip_plan(trip, bob) -> Plan:
    return make_plan(bob, group=trip)


@pytest.fixture
def personal_plan(alice, bob, carol) -> Plan:
    befriend(alice, bob)
    befriend(alice, carol)
    plan = make_plan(alice, title="Weekend in Porto", days=2)
    services.plan_participant_add(actor=alice, plan_id=plan.pk, user_id=bob.pk)
    return plan


@pytest.fixture
def as_(client_for, alice, bob, carol, dave):
    """as_("bob") → an API client authenticated as that persona."""
    users = {"alice": alice, "bob": bob, "carol": carol, "dave": dave}
    clients = {}

    def client(name: str):
        if name not in clients:
            clients[name] = client_for(users[name])
        return clients[name]

    return client
