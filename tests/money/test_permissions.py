"""Who may change what (docs/money.md): an expense by who added it or the plan's managers, the
budget by any member, a payment by its two parties; outsiders see nothing (404, ids do not
leak)."""

import pytest

from planpal.money.models import Expense
from tests.conftest import assert_error
from tests.money.factories import equal, spend
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def test_another_member_may_not_edit_or_delete_my_expense(as_, trip, bob, alice):
    plan = make_plan(alice, group=trip)  # bob is a plain member of it
    expense = spend(bob, plan, "1000", split=equal(alice, bob))
    spend_by_alice = spend(alice, plan, "2000")
    client = as_("bob")

    assert_error(
        client.patch(
            f"/api/v1/expenses/{spend_by_alice.pk}", {"title": "x", "version": 1}, format="json"
        ),
        403,
    )
    assert_error(client.delete(f"/api/v1/expenses/{spend_by_alice.pk}"), 403)
    assert Expense.objects.get(pk=spend_by_alice.pk).title == "Dinner"
    assert (
        client.patch(
            f"/api/v1/expenses/{expense.pk}", {"title": "Mine", "version": 1}, format="json"
        ).status_code
        == 200
    )


def test_a_manager_may_fix_anyones_expense(as_, trip_plan, bob):
    expense = spend(bob, trip_plan)
    response = as_("carol").patch(
        f"/api/v1/expenses/{expense.pk}", {"title": "Fixed", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert as_("carol").delete(f"/api/v1/expenses/{expense.pk}").status_code == 204


def test_any_member_may_set_the_budget_but_an_outsider_may_not(as_, trip_plan):
    assert (
        as_("bob")
        .put(f"/api/v1/plans/{trip_plan.pk}/budget", {"amount": "10"}, format="json")
        .status_code
        == 200
    )
    assert_error(
        as_("dave").put(f"/api/v1/plans/{trip_plan.pk}/budget", {"amount": "1"}, format="json"), 404
    )


def test_an_outsider_may_not_add_an_expense_or_a_payment(as_, trip_plan, dave, alice):
    body = {"title": "x", "amount": "1", "split": equal(dave)}
    assert_error(
        as_("dave").post(f"/api/v1/plans/{trip_plan.pk}/expenses", body, format="json"), 404
    )
    paid = {"from_user": dave.pk, "to_user": alice.pk, "amount": "1"}
    assert_error(
        as_("dave").post(f"/api/v1/plans/{trip_plan.pk}/settlements", paid, format="json"), 404
    )
    assert not Expense.objects.exists()
