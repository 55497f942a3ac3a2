"""Money events: each write's events keep a stale copy of the ledger in sync (expenses,
settlements, budget, balances), replaying the plan's event log rebuilds the balances the API
returns, and every payload is a typed event that round-trips."""

from collections import defaultdict
from decimal import Decimal

import pytest

from planpal.core.events import EVENT_TYPES
from planpal.money import services
from planpal.realtime.models import Event
from tests.money.factories import equal, spend

pytestmark = pytest.mark.django_db

BUDGET_FIELDS = ("plan", "amount", "currency", "version", "updated_by", "updated_at")


def snapshot(client, plan) -> dict:
    base = f"/api/v1/plans/{plan.pk}"
    return {
        "budget": client.get(f"{base}/budget").json(),
        "expenses": client.get(f"{base}/expenses").json()["results"],
        "settlements": client.get(f"{base}/settlements").json()["results"],
        "balances": client.get(f"{base}/balances").json(),
    }


def apply(copy: dict, name: str, data: dict) -> None:
    """What the Budget tab does with a money event (docs/money.md §6)."""
    balances = data["balances"]
    copy["balances"].update(balances)
    copy["budget"].update(spent=balances["spent"], by_category=balances["by_category"])
    if name == "plan.budget_updated":
        copy["budget"].update({key: data["budget"][key] for key in BUDGET_FIELDS})
    elif name in ("plan.expense_added", "plan.expense_updated"):
        others = [e for e in copy["expenses"] if e["id"] != data["expense"]["id"]]
        copy["expenses"] = [*others, data["expense"]]
    elif name == "plan.expense_deleted":
        copy["expenses"] = [e for e in copy["expenses"] if e["id"] != data["expense_id"]]
    elif name == "plan.settlement_recorded":
        copy["settlements"] = [data["settlement"], *copy["settlements"]]
    elif name == "plan.settlement_deleted":
        copy["settlements"] = [s for s in copy["settlements"] if s["id"] != data["settlement_id"]]
    amount, budget = copy["budget"]["amount"], Decimal(balances["spent"])
    copy["budget"]["remaining"] = None if amount is None else str(Decimal(amount) - budget)
    copy["expenses"].sort(key=lambda e: (e["spent_at"], e["id"]), reverse=True)


def _write_a_day_of_money(trip_plan, alice, bob, carol):
    services.budget_set(actor=bob, plan_id=trip_plan.pk, amount="1000000")
    dinner = spend(alice, trip_plan, "300000", split=equal(alice, bob, carol))
    taxi = spend(bob, trip_plan, "90001", split=equal(bob, carol), category="transport")
    services.expense_update(
        actor=alice,
        expense_id=dinner.pk,
        version=1,
        split={
            "strategy": "shares",
            "participants": [{"user_id": u.pk, "value": n} for u, n in ((alice, 1), (carol, 2))],
        },
    )
    paid, _ = services.settlement_record(
        actor=carol, plan_id=trip_plan.pk, from_user=carol.pk, to_user=alice.pk, amount="150000"
    )
    services.settlement_record(
        actor=alice, plan_id=trip_plan.pk, from_user=bob.pk, to_user=alice.pk, amount="1000"
    )
    services.settlement_delete(actor=alice, settlement_id=paid.pk)
    services.expense_delete(actor=bob, expense_id=taxi.pk)
    spend(carol, trip_plan, "12.50", currency="EUR", rate="27123.45", split=equal(alice, carol))
    services.budget_set(actor=alice, plan_id=trip_plan.pk, amount="700000", version=1)


def test_events_keep_a_stale_copy_in_sync(as_, trip_plan, alice, bob, carol):
    client = as_("carol")
    stale = snapshot(client, trip_plan)
    since = stale["balances"]["stream"]["seq"]

    _write_a_day_of_money(trip_plan, alice, bob, carol)

    rows = Event.objects.filter(topic=f"plan:{trip_plan.pk}", seq__gt=since).order_by("seq")
    for row in rows:
        apply(stale, row.name, row.payload)
    fresh = snapshot(client, trip_plan)
    for copy in (stale, fresh):
        copy["budget"].pop("stream"), copy["balances"].pop("stream")
    assert stale == fresh
    assert rows.count() == 10


def _replayed_nets(rows) -> dict[int, Decimal]:
    """Balances rebuilt from the event log alone: every expense's payers and shares and every
    payment, as the events last described them."""
    expenses, settlements = {}, {}
    for row in rows:
        data = row.payload
        if row.name in ("plan.expense_added", "plan.expense_updated"):
            expenses[data["expense"]["id"]] = data["expense"]
        elif row.name == "plan.expense_deleted":
            expenses.pop(data["expense_id"])
        elif row.name == "plan.settlement_recorded":
            settlements[data["settlement"]["id"]] = data["settlement"]
        elif row.name == "plan.settlement_deleted":
            settlements.pop(data["settlement_id"])
    nets: dict[int, Decimal] = defaultdict(Decimal)
    for expense in expenses.values():
        for payer in expense["payers"]:
            nets[payer["user_id"]] += Decimal(payer["plan_amount"])
        for share in expense["shares"]:
            nets[share["user_id"]] -= Decimal(share["plan_amount"])
    for paid in settlements.values():
        nets[paid["from_user"]] += Decimal(paid["amount"])
        nets[paid["to_user"]] -= Decimal(paid["amount"])
    return nets


def test_replaying_the_event_log_rebuilds_the_balances(as_, trip_plan, alice, bob, carol):
    _write_a_day_of_money(trip_plan, alice, bob, carol)

    rows = Event.objects.filter(topic=f"plan:{trip_plan.pk}").order_by("seq")
    replayed = _replayed_nets(rows)
    api = as_("bob").get(f"/api/v1/plans/{trip_plan.pk}/balances").json()

    assert {row["user"]["id"]: Decimal(row["net"]) for row in api["members"]} == {
        user.pk: replayed[user.pk] for user in (alice, bob, carol)
    }
    assert sum(replayed.values()) == 0


def test_payloads_are_typed_and_round_trip(trip_plan, alice, bob, carol):
    _write_a_day_of_money(trip_plan, alice, bob, carol)

    rows = Event.objects.filter(topic=f"plan:{trip_plan.pk}", name__startswith="plan.").exclude(
        name="plan.created"
    )
    assert {row.name for row in rows} == {
        "plan.budget_updated",
        "plan.expense_added",
        "plan.expense_updated",
        "plan.expense_deleted",
        "plan.settlement_recorded",
        "plan.settlement_deleted",
    }
    for row in rows:
        assert EVENT_TYPES[row.name].model_validate(row.payload).data() == row.payload


def test_a_retried_create_emits_nothing(trip_plan, alice):
    for _ in range(2):
        services.expense_create(
            actor=alice,
            plan_id=trip_plan.pk,
            title="Tickets",
            amount="1000",
            split=equal(alice),
            client_id="same-tap",
        )
    added = Event.objects.filter(name="plan.expense_added")
    assert [row.client_id for row in added] == ["same-tap"]
