"""Bad expense input: a clear 400 naming the field, and nothing written (no expense, no share,
no event)."""

import pytest

from planpal.money.models import Expense, ExpenseShare
from planpal.realtime.models import Event
from tests.conftest import assert_error
from tests.money.factories import equal, spend

pytestmark = pytest.mark.django_db


def _people(*users, values=None):
    values = values or [None] * len(users)
    return [{"user_id": u.pk, "value": v} for u, v in zip(users, values, strict=True)]


CASES = {
    "too many decimals for VND": ({"amount": "1000.5"}, "amount"),
    "too many decimals for USD": (
        {"amount": "1.005", "currency": "USD", "rate": "25000"},
        "amount",
    ),
    "zero amount": ({"amount": "0"}, "amount"),
    "negative amount": ({"amount": "-5"}, "amount"),
    "not a number": ({"amount": "lots"}, "amount"),
    "a boolean amount": ({"amount": True}, "amount"),
    "a huge amount": ({"amount": "1" + "0" * 13}, "amount"),
    "an amount beyond Decimal's range": ({"amount": "1e1000000"}, "amount"),
    "an amount that normalizes to zero": ({"amount": "1e-1000027"}, "amount"),
    "a rate beyond Decimal's range": (
        {"currency": "USD", "amount": "10", "rate": "1e999999"},
        "rate",
    ),
    "a rate that normalizes to zero": (
        {"currency": "USD", "amount": "10", "rate": "1e-999999"},
        "rate",
    ),
    "an exact share beyond Decimal's range": ("exact_huge", "split"),
    "a converted amount too large for the ledger": (
        {"amount": "999999999999", "currency": "JPY", "rate": "170"},
        "rate",
    ),
    "unknown currency": ({"currency": "XYZ"}, "currency"),
    "foreign without rate": ({"currency": "USD", "amount": "10"}, "rate"),
    "rate in the plan currency": ({"rate": "2"}, "rate"),
    "rate converting to zero": ({"currency": "USD", "amount": "0.01", "rate": "0.0001"}, "rate"),
    "negative rate": ({"currency": "USD", "amount": "10", "rate": "-1"}, "rate"),
    "unknown strategy": ({"split": {"strategy": "fair", "participants": []}}, "split"),
    "no participants": ({"split": {"strategy": "equal", "participants": []}}, "split"),
    "unknown category": ({"category": "fun"}, "category"),
    "empty title": ({"title": "  "}, "title"),
    "a number as title": ({"title": 5}, "title"),
    "both paid_by and payers": ("both", "payers"),
    "an outsider participates": ("outsider", "split"),
    "an outsider pays": ("outsider_pays", "paid_by"),
    "someone twice": ("twice", "split"),
    "percents not 100": ("percent", "split"),
    "exact not the amount": ("exact", "split"),
    "fractional shares": ("shares", "split"),
    "values in an equal split": ("equal_values", "split"),
    "payers not the amount": ("payers_sum", "payers"),
    "an activity of another plan": ("activity", "activity"),
}


def _body(case, alice, bob, dave) -> dict:
    body = {"title": "Dinner", "amount": "3000", "split": equal(alice, bob)}
    special = {
        "both": {"paid_by": alice.pk, "payers": [{"user_id": alice.pk, "amount": "3000"}]},
        "outsider": {"split": equal(alice, dave)},
        "outsider_pays": {"paid_by": dave.pk},
        "twice": {"split": {"strategy": "equal", "participants": _people(alice, alice)}},
        "percent": {
            "split": {
                "strategy": "percent",
                "participants": _people(alice, bob, values=["50", "49.99"]),
            }
        },
        "exact": {
            "split": {
                "strategy": "exact",
                "participants": _people(alice, bob, values=["1000", "1999"]),
            }
        },
        "shares": {
            "split": {
                "strategy": "shares",
                "participants": _people(alice, bob, values=["1.5", "1"]),
            }
        },
        "equal_values": {
            "split": {"strategy": "equal", "participants": _people(alice, bob, values=["1", "1"])}
        },
        "exact_huge": {
            "split": {
                "strategy": "exact",
                "participants": _people(alice, bob, values=["1e1000000", "1"]),
            }
        },
        "payers_sum": {"payers": [{"user_id": alice.pk, "amount": "1000"}]},
        "activity": {"activity": 10**9},
    }
    body.update(special[case] if isinstance(case, str) else case)
    return body


@pytest.mark.parametrize("name", CASES)
def test_a_bad_expense_is_a_400_that_changes_nothing(as_, trip_plan, alice, bob, dave, name):
    case, field = CASES[name]
    before = Event.objects.count()

    response = as_("alice").post(
        f"/api/v1/plans/{trip_plan.pk}/expenses", _body(case, alice, bob, dave), format="json"
    )

    fields = assert_error(response, 400)["fields"]
    assert field in {key.partition(".")[0] for key in fields}, fields
    assert not Expense.objects.exists() and not ExpenseShare.objects.exists()
    assert Event.objects.count() == before


def test_a_bad_edit_leaves_the_expense_as_it_was(as_, trip_plan, alice, bob):
    expense = spend(alice, trip_plan, "3000", split=equal(alice, bob))
    exact = {"strategy": "exact", "participants": _people(alice, bob, values=["1000", "2000"])}
    client = as_("alice")
    client.patch(f"/api/v1/expenses/{expense.pk}", {"split": exact, "version": 1}, format="json")

    # The split is exact: a new amount alone no longer adds up.
    response = client.patch(
        f"/api/v1/expenses/{expense.pk}", {"amount": "4000", "version": 2}, format="json"
    )

    assert "split" in assert_error(response, 400)["fields"]
    body = client.get(f"/api/v1/expenses/{expense.pk}").json()
    assert (body["amount"], body["version"]) == ("3000", 2)
    assert [s["amount"] for s in body["shares"]] == ["1000", "2000"]


def test_a_patch_without_version_is_a_400(as_, trip_plan, alice):
    expense = spend(alice, trip_plan)
    response = as_("alice").patch(f"/api/v1/expenses/{expense.pk}", {"title": "x"}, format="json")
    assert "version" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize("amount", ["1e1000000", "1e-1000027"])
def test_a_budget_or_payment_beyond_decimals_range_is_a_400(as_, trip_plan, alice, bob, amount):
    client = as_("alice")
    budget = client.put(f"/api/v1/plans/{trip_plan.pk}/budget", {"amount": amount}, format="json")
    payment = client.post(
        f"/api/v1/plans/{trip_plan.pk}/settlements",
        {"from_user": bob.pk, "to_user": alice.pk, "amount": amount},
        format="json",
    )

    assert "amount" in assert_error(budget, 400)["fields"]
    assert "amount" in assert_error(payment, 400)["fields"]
    written = Event.objects.filter(name__in=["plan.budget_updated", "plan.settlement_recorded"])
    assert not written.exists()
