"""Plan fixtures beside the shared trip (tests/conftest.py): `personal_plan` is alice's own plan
(no group) in which her friend bob takes part; carol is also her friend but does not take part."""

import pytest

from planpal.plans import services
from planpal.plans.models import Plan
from tests.factories import befriend
from tests.plans.factories import make_plan


@pytest.fixture
def personal_plan(alice, bob, carol) -> Plan:
    befriend(alice, bob)
    befriend(alice, carol)
    plan = make_plan(alice, title="Weekend in Porto", days=2)
    services.plan_participant_add(actor=alice, plan_id=plan.pk, user_id=bob.pk)
    return plan
