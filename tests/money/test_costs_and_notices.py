"""What a write costs and who hears of it: adding an expense split between every member takes
the same number of queries at 2 and at 40 members (and so does its fan-out after commit); the
budget lines (80 %, 100 %) notify once per crossing, a large expense and a completed plan's
balances notify the members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planpal.money import services
from planpal.notifications.models import Notification
from planpal.plans import services as plans
from planpal.realtime import fanout
from tests.conftest import make_user
from tests.factories import make_group
from tests.money.factories import equal, spend
from tests.plans.factories import make_plan


def crew(size: int, tag: str):
    users = [make_user(f"{tag}{n}") for n in range(size)]
    group = make_group(f"Crew {tag}", owner=users[0], members=users[1:])
    plan = make_plan(users[0], group=group, title=f"Trip {tag}")
    services.budget_set(actor=users[0], plan_id=plan.pk, amount="100000000")
    spend(users[0], plan, "1000", split=equal(*users))  # the plan's first expense is not special
    fanout.run_pending()
    return plan, users


@pytest.mark.django_db
def test_adding_an_expense_costs_the_same_queries_at_2_and_40_members(client_for):
    counts = {}
    for size in (2, 2, 40):  # the first is a warm-up (caches filled once per process)
        plan, users = crew(size, f"q{len(counts)}s{size}")
        client = client_for(users[1])
        body = {
            "title": "Dinner",
            "amount": "400000",
            "split": equal(*users),
            "paid_by": users[0].pk,
        }
        with CaptureQueriesContext(connection) as write:
            response = client.post(f"/api/v1/plans/{plan.pk}/expenses", body, format="json")
        assert response.status_code == 201, response.content
        assert len(response.json()["shares"]) == size
        counts[size] = len(write.captured_queries)
        with CaptureQueriesContext(connection) as after:
            fanout.run_pending()
        counts[f"after {size}"] = len(after.captured_queries)
    assert counts[2] == counts[40], counts
    assert counts["after 2"] == counts["after 40"], counts


def _told(user, kind: str) -> list[str]:
    rows = Notification.objects.filter(user=user, kind=kind).order_by("id")
    return [f"{n.title} | {n.body}" for n in rows]


@pytest.mark.django_db(transaction=True)
def test_budget_lines_notify_once_per_crossing(trip_plan, alice, bob, carol):
    services.budget_set(actor=bob, plan_id=trip_plan.pk, amount="1000000")
    spend(alice, trip_plan, "700000")  # 70 %: nothing; also a large expense (≥ 25 %)
    spend(alice, trip_plan, "150000")  # 85 %: the 80 % line
    spend(alice, trip_plan, "10000")  # still over 80 %: nothing new
    last = spend(alice, trip_plan, "200000")  # 106 %: the 100 % line
    services.expense_delete(actor=alice, expense_id=last.pk)  # back to 86 %
    spend(alice, trip_plan, "150000")  # over 100 % again: told again

    assert _told(carol, "plan.budget_80") == [
        "Lisbon: budget 80 % used | 850,000 VND spent of 1,000,000 VND."
    ]
    assert len(_told(carol, "plan.budget_100")) == 2
    assert _told(carol, "plan.expense_large") == [
        "Lisbon: a large expense | Dinner: 700,000 VND, at least a quarter of the budget."
    ]
    assert len(_told(carol, "plan.expense_large")) == 1
    assert not _told(alice, "plan.budget_80")  # the actor is not told of their own write


@pytest.mark.django_db(transaction=True)
def test_lowering_the_budget_under_the_spending_notifies(trip_plan, alice, bob, carol):
    services.budget_set(actor=bob, plan_id=trip_plan.pk, amount="1000000")
    spend(alice, trip_plan, "200000")
    services.budget_set(actor=bob, plan_id=trip_plan.pk, amount="210000", version=1)

    assert len(_told(carol, "plan.budget_80")) == 1


@pytest.mark.django_db(transaction=True)
def test_a_completed_plan_tells_each_member_what_they_owe_or_are_owed(trip_plan, alice, bob, carol):
    spend(alice, trip_plan, "300000", split=equal(alice, bob, carol))
    plans.plan_start(actor=bob, plan_id=trip_plan.pk)
    plans.plan_complete(actor=bob, plan_id=trip_plan.pk)

    assert _told(alice, "plan.balance_due") == [
        "Lisbon is over: settle up | You are owed 200,000 VND."
    ]
    assert _told(carol, "plan.balance_due") == ["Lisbon is over: settle up | You owe 100,000 VND."]
