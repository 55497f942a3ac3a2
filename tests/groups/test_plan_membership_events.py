"""Membership changes reach every plan of the group as plan.member_joined / plan.member_left:
group membership is what grants access to all of them, closed ones included, so a removed member
must be unsubscribed from a completed plan too."""

import pytest

from planpal.groups import services
from planpal.plans.models import Plan
from tests.conftest import public
from tests.factories import insert_plan

pytestmark = pytest.mark.django_db

plan_events = pytest.importorskip("planpal.plans.events")
if not hasattr(plan_events, "PlanMemberJoined") or not hasattr(plan_events, "PlanMemberLeft"):
    pytest.skip(
        "planpal.plans.events does not define the plan member events yet", allow_module_level=True
    )


@pytest.fixture
def plans(trip, alice):
    return {
        status: insert_plan(f"{status} trip", creator=alice, group=trip, status=status)
        for status in Plan.Status.values
    }


def test_a_new_member_joins_every_plan_of_the_group(since, trip, plans, alice, dave):
    news = {status: since(f"plan:{plan.pk}") for status, plan in plans.items()}
    services.member_add(actor=alice, group_id=trip.pk, user_id=dave.pk)
    for status, plan in plans.items():
        assert [(n, p) for _, n, p in news[status]()] == [
            ("plan.member_joined", {"plan_id": plan.pk, "user": public(dave)})
        ]


def test_a_leaving_member_leaves_every_plan_even_closed_ones(since, trip, plans, carol):
    news = {status: since(f"plan:{plan.pk}") for status, plan in plans.items()}
    services.member_remove(actor=carol, group_id=trip.pk, user_id=carol.pk)
    for status, plan in plans.items():
        assert [(n, p) for _, n, p in news[status]()] == [
            ("plan.member_left", {"plan_id": plan.pk, "user_id": carol.pk})
        ]


def test_joining_by_invite_joins_the_open_plans_too(since, trip, plans, alice, dave):
    news = since(f"plan:{plans['upcoming'].pk}")
    _, token = services.invite_create(actor=alice, group_id=trip.pk)
    services.invite_accept(actor=dave, token=token)
    assert [name for _, name, _ in news()] == ["plan.member_joined"]


def test_a_role_change_is_not_a_plan_event(since, trip, plans, alice, carol):
    news = since(f"plan:{plans['upcoming'].pk}")
    services.member_set_role(actor=alice, group_id=trip.pk, user_id=carol.pk, role="admin")
    assert news() == []
