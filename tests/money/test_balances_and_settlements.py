"""Balances, settle-up and payments between members (docs/money.md §4-5)."""

import pytest

from planpal.money import services
from planpal.money.models import Settlement
from tests.conftest import assert_error
from tests.money.factories import equal, spend

pytestmark = pytest.mark.django_db


def _balances(client, plan) -> dict:
    return client.get(f"/api/v1/plans/{plan.pk}/balances").json()


def _nets(body) -> dict[int, str]:
    return {row["user"]["id"]: row["net"] for row in body["members"]}


def test_balances_show_who_paid_and_who_owes(as_, trip_plan, alice, bob, carol):
    spend(alice, trip_plan, "300000", split=equal(alice, bob, carol))
    spend(bob, trip_plan, "60000", split=equal(alice, bob, carol), category="transport")

    body = _balances(as_("carol"), trip_plan)

    assert _nets(body) == {alice.pk: "180000", bob.pk: "-60000", carol.pk: "-120000"}
    assert body["spent"] == "360000" and body["currency"] == "VND"
    assert body["by_category"] == {"other": "300000", "transport": "60000"}
    alice_row = next(row for row in body["members"] if row["user"]["id"] == alice.pk)
    assert (alice_row["paid"], alice_row["owed"]) == ("300000", "120000")
    assert body["settle_up"] == [
        {"from_user": carol.pk, "to_user": alice.pk, "amount": "120000"},
        {"from_user": bob.pk, "to_user": alice.pk, "amount": "60000"},
    ]


def test_a_recorded_payment_shrinks_the_settle_up_list(as_, trip_plan, alice, bob, carol):
    spend(alice, trip_plan, "300000", split=equal(alice, bob, carol))
    body = {"from_user": bob.pk, "to_user": alice.pk, "amount": "100000"}

    response = as_("bob").post(f"/api/v1/plans/{trip_plan.pk}/settlements", body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "100000"
    balances = _balances(as_("alice"), trip_plan)
    assert _nets(balances)[bob.pk] == "0"
    assert balances["settle_up"] == [
        {"from_user": carol.pk, "to_user": alice.pk, "amount": "100000"}
    ]
    listed = as_("carol").get(f"/api/v1/plans/{trip_plan.pk}/settlements").json()["results"]
    assert [s["id"] for s in listed] == [response.json()["id"]]


def test_only_the_two_parties_may_record_a_payment(as_, trip_plan, alice, bob):
    body = {"from_user": bob.pk, "to_user": alice.pk, "amount": "1000"}
    response = as_("carol").post(f"/api/v1/plans/{trip_plan.pk}/settlements", body, format="json")

    assert_error(response, 403)
    assert not Settlement.objects.exists()


def test_the_payee_may_dispute_a_payment_but_a_third_member_may_not(as_, trip_plan, alice, bob):
    paid, _ = services.settlement_record(
        actor=bob, plan_id=trip_plan.pk, from_user=bob.pk, to_user=alice.pk, amount="1000"
    )

    assert_error(as_("carol").delete(f"/api/v1/settlements/{paid.pk}"), 403)
    assert_error(as_("alice").delete(f"/api/v1/settlements/{paid.pk}?version=2"), 409)
    assert as_("alice").delete(f"/api/v1/settlements/{paid.pk}?version=1").status_code == 204
    assert not Settlement.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to_user": "self"}, "to_user"),
        ({"amount": "0"}, "amount"),
        ({"amount": "10.5"}, "amount"),
        ({"to_user": "dave"}, "to_user"),
        ({"amount": True}, "amount"),
    ],
)
def test_a_bad_payment_is_a_400_that_records_nothing(
    as_, trip_plan, alice, bob, dave, change, field
):
    people = {"self": bob.pk, "dave": dave.pk}
    body = {"from_user": bob.pk, "to_user": alice.pk, "amount": "1000"}
    body.update({k: people.get(v, v) if isinstance(v, str) else v for k, v in change.items()})

    response = as_("bob").post(f"/api/v1/plans/{trip_plan.pk}/settlements", body, format="json")

    assert field in assert_error(response, 400)["fields"]
    assert not Settlement.objects.exists()


def test_the_budget_sets_the_plans_currency_until_money_is_spent(as_, trip_plan, alice):
    client = as_("bob")
    empty = client.get(f"/api/v1/plans/{trip_plan.pk}/budget").json()
    assert (empty["amount"], empty["currency"], empty["version"]) == (None, "VND", 0)

    put = client.put(
        f"/api/v1/plans/{trip_plan.pk}/budget",
        {"amount": "500.00", "currency": "EUR", "version": 0},
        format="json",
    )
    assert put.status_code == 200, put.content
    assert (put.json()["amount"], put.json()["version"]) == ("500.00", 1)

    spend(alice, trip_plan, "120.50")
    budget = client.get(f"/api/v1/plans/{trip_plan.pk}/budget").json()
    assert (budget["spent"], budget["remaining"]) == ("120.50", "379.50")
    refused = client.put(
        f"/api/v1/plans/{trip_plan.pk}/budget", {"amount": "500", "currency": "USD"}, format="json"
    )
    assert "currency" in assert_error(refused, 400)["fields"]
    stale = client.put(
        f"/api/v1/plans/{trip_plan.pk}/budget", {"amount": "900", "version": 0}, format="json"
    )
    assert assert_error(stale, 409)["current"]["amount"] == "500.00"


def test_the_csv_has_a_bom_and_one_row_per_share(as_, trip_plan, alice, bob):
    spend(alice, trip_plan, "1000", split=equal(alice, bob), title="=Phở")

    response = as_("bob").get(f"/api/v1/plans/{trip_plan.pk}/expenses.csv", HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffexpense_id,spent_at,title")
    rows = text.strip().splitlines()[1:]
    assert len(rows) == 2
    assert ",'=Phở,other,1000,VND,,1000,VND,alice 1000,alice,500,500," in rows[0]


def test_outsiders_see_nothing_of_the_ledger(as_, trip_plan, alice):
    expense = spend(alice, trip_plan)
    client = as_("dave")
    for path in ("budget", "expenses", "balances", "settlements", "expenses.csv"):
        assert_error(client.get(f"/api/v1/plans/{trip_plan.pk}/{path}"), 404)
    assert_error(client.get(f"/api/v1/expenses/{expense.pk}"), 404)
    assert_error(client.delete(f"/api/v1/expenses/{expense.pk}"), 404)
