"""The expense endpoints as a client sees them (docs/money.md §3)."""

from decimal import Decimal

import pytest

from planpal.money.models import Expense, ExpenseShare
from tests.conftest import public
from tests.money.factories import equal, spend
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def _post(client, plan, **body):
    body.setdefault("title", "Dinner")
    return client.post(f"/api/v1/plans/{plan.pk}/expenses", body, format="json")


def test_an_equal_split_gives_the_remainder_to_the_lowest_ids(as_, trip_plan, alice, bob, carol):
    response = _post(as_("bob"), trip_plan, amount="100000", split=equal(carol, alice, bob))

    assert response.status_code == 201, response.content
    expense = response.json()
    assert expense["amount"] == "100000" and expense["currency"] == "VND"
    assert expense["paid_by"] == bob.pk and expense["created_by"] == public(bob)
    shares = {s["user_id"]: s["amount"] for s in expense["shares"]}
    assert shares == {alice.pk: "33334", bob.pk: "33333", carol.pk: "33333"}
    assert expense["payers"] == [{"user_id": bob.pk, "amount": "100000", "plan_amount": "100000"}]


def test_a_foreign_expense_is_converted_once_rounding_half_up(as_, trip_plan, alice, bob):
    body = {"amount": "12.34", "currency": "USD", "rate": "25400.5", "split": equal(alice, bob)}
    expense = _post(as_("alice"), trip_plan, **body).json()
    half = _post(
        as_("alice"),
        trip_plan,
        amount="0.03",
        currency="USD",
        rate="25450",
        split=equal(alice, bob),
    ).json()

    assert (expense["plan_amount"], expense["rate"]) == ("313442", "25400.50000000")  # 313,442.17
    assert [s["plan_amount"] for s in expense["shares"]] == ["156721", "156721"]
    assert [s["amount"] for s in expense["shares"]] == ["6.17", "6.17"]
    assert half["plan_amount"] == "764"  # 763.5, half up
    assert [s["plan_amount"] for s in half["shares"]] == ["382", "382"]


def test_shares_percent_and_exact_splits_sum_to_the_amount(as_, trip_plan, alice, bob, carol):
    client = as_("alice")
    splits = {
        "shares": [2, 1, 1],
        "percent": ["50", "25.5", "24.5"],
        "exact": ["5.01", "3.00", "2.00"],
    }
    for strategy, values in splits.items():
        people = [
            {"user_id": u.pk, "value": v} for u, v in zip((alice, bob, carol), values, strict=True)
        ]
        split = {"strategy": strategy, "participants": people}
        response = _post(
            client, trip_plan, amount="10.01", currency="EUR", rate="27000", split=split
        )
        assert response.status_code == 201, (strategy, response.content)
        shares = [Decimal(s["amount"]) for s in response.json()["shares"]]
        assert sum(shares) == Decimal("10.01"), strategy
    shares = response.json()["split"]["participants"]
    assert [p["value"] for p in shares] == ["5.01", "3.00", "2.00"]


def test_several_payers_pay_their_part(as_, trip_plan, alice, bob):
    payers = [{"user_id": alice.pk, "amount": "200000"}, {"user_id": bob.pk, "amount": "100000"}]
    expense = _post(
        as_("alice"), trip_plan, amount="300000", payers=payers, split=equal(bob)
    ).json()

    assert expense["paid_by"] is None
    assert [p["amount"] for p in expense["payers"]] == ["200000", "100000"]


def test_a_retry_with_the_same_client_id_returns_the_first_expense(as_, trip_plan, alice):
    client = as_("alice")
    first = _post(client, trip_plan, amount="1000", split=equal(alice), client_id="k-1")
    again = _post(client, trip_plan, amount="1000", split=equal(alice), client_id="k-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Expense.objects.count() == 1


def test_the_same_client_id_in_another_plan_is_another_expense(as_, trip, trip_plan, alice, bob):
    """A client_id names one write in one plan: reusing it elsewhere neither returns the first
    plan's expense nor fails."""
    other_plan = make_plan(bob, group=trip)
    client = as_("alice")
    first = _post(client, trip_plan, amount="1000", split=equal(alice), client_id="k-1")
    other = _post(client, other_plan, amount="2000", split=equal(alice), client_id="k-1")

    assert (first.status_code, other.status_code) == (201, 201)
    assert other.json()["id"] != first.json()["id"]
    assert Expense.objects.get(pk=other.json()["id"]).plan_id == other_plan.pk


def test_a_stale_edit_is_a_409_with_the_current_expense(as_, trip_plan, alice, bob):
    expense = spend(alice, trip_plan, "1000", split=equal(alice, bob))
    client = as_("alice")
    ok = client.patch(
        f"/api/v1/expenses/{expense.pk}", {"title": "Lunch", "version": 1}, format="json"
    )
    stale = client.patch(
        f"/api/v1/expenses/{expense.pk}", {"amount": "5", "version": 1}, format="json"
    )

    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["title"] == "Lunch"
    assert Expense.objects.get().amount == Decimal(1000)


def test_editing_the_amount_recomputes_every_share(as_, trip_plan, alice, bob):
    expense = spend(alice, trip_plan, "1000", split=equal(alice, bob))
    response = as_("alice").patch(
        f"/api/v1/expenses/{expense.pk}", {"amount": "1001", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [s["amount"] for s in response.json()["shares"]] == ["501", "500"]
    assert ExpenseShare.objects.count() == 2


def test_deleting_with_a_stale_version_changes_nothing(as_, trip_plan, alice):
    expense = spend(alice, trip_plan)
    client = as_("alice")
    assert client.delete(f"/api/v1/expenses/{expense.pk}?version=7").status_code == 409
    assert client.delete(f"/api/v1/expenses/{expense.pk}?version=1").status_code == 204
    assert not Expense.objects.exists()


def test_the_list_shows_newest_first_with_the_stream_head(as_, trip_plan, alice):
    spend(alice, trip_plan, title="First")
    spend(alice, trip_plan, title="Second")
    body = as_("bob").get(f"/api/v1/plans/{trip_plan.pk}/expenses").json()

    assert [e["title"] for e in body["results"]] == ["Second", "First"]
    assert body["stream"]["topic"] == f"plan:{trip_plan.pk}"
