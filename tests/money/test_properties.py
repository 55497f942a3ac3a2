"""Property tests (hypothesis): for any amounts, strategies and participants the shares sum
exactly to the amount (in the expense's currency and in the plan's), balances sum to zero, the
settle-up zeroes every balance in at most n - 1 transfers, and replaying the plan's event log
rebuilds the balances the API returns."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planpal.money import currency as money
from planpal.money import entries, services
from planpal.money.splitting import distribute, settle_up
from planpal.realtime.models import Event
from tests.money.test_events import _replayed_nets
from tests.plans.factories import make_plan

USERS = list(range(1, 41))
CURRENCIES = ["VND", "JPY", "USD", "EUR"]


@st.composite
def amounts(draw, code: str) -> Decimal:
    units = draw(st.integers(min_value=1, max_value=10**11))
    return money.from_units(units, code)


@st.composite
def splits(draw, amount: Decimal, code: str) -> dict:
    strategy = draw(st.sampled_from(["equal", "shares", "percent", "exact"]))
    people = draw(st.lists(st.sampled_from(USERS), min_size=1, max_size=12, unique=True))
    if strategy == "equal":
        values = [None] * len(people)
    elif strategy == "shares":
        values = [draw(st.integers(1, 1000)) for _ in people]
    elif strategy == "percent":
        cuts = distribute(10000, {p: draw(st.integers(1, 50)) for p in people})
        people = [p for p in people if cuts[p] > 0] or people[:1]
        cuts = distribute(10000, {p: cuts.get(p, 1) or 1 for p in people})
        values = [str(Decimal(cuts[p]) / 100) for p in people]
    else:
        units = money.to_units(amount, code)
        people = people[: max(1, min(len(people), units))]
        cuts = distribute(units, {p: draw(st.integers(1, 9)) for p in people})
        people = [p for p in people if cuts[p] > 0]
        values = [str(money.from_units(cuts[p], code)) for p in people]
    return {
        "strategy": strategy,
        "participants": [{"user_id": p, "value": v} for p, v in zip(people, values, strict=True)],
    }


@st.composite
def expenses(draw) -> dict:
    code = draw(st.sampled_from(CURRENCIES))
    amount = draw(amounts(code))
    values = {"amount": str(amount), "currency": code, "split": draw(splits(amount, code))}
    if code != "VND":
        values["rate"] = str(draw(st.decimals(min_value="0.5", max_value="30000", places=4)))
    return values


@settings(max_examples=300, deadline=None)
@given(values=expenses())
def test_shares_and_payers_sum_exactly_to_the_amount_in_both_currencies(values):
    if "rate" in values:  # a conversion to 0, or past the ledger's digits, is a documented 400
        converted = money.convert(Decimal(values["amount"]), Decimal(values["rate"]), "VND")
        assume(converted > 0 and converted.adjusted() < money.MAX_CONVERTED_WHOLE_DIGITS)
    entry = entries.build(values=values, plan_code="VND", members=set(USERS), actor_id=1)

    assert sum(line.amount for line in entry.shares) == entry.amount
    assert sum(line.plan_amount for line in entry.shares) == entry.plan_amount
    assert sum(line.plan_amount for line in entry.payers) == entry.plan_amount
    assert all(line.amount >= 0 and line.plan_amount >= 0 for line in entry.shares)
    if values.get("rate"):
        assert entry.plan_amount == money.convert(entry.amount, Decimal(values["rate"]), "VND")


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(0, 10**12),
    weights=st.dictionaries(st.sampled_from(USERS), st.integers(1, 10**6), min_size=1),
)
def test_a_distribution_is_exact_and_each_share_is_within_one_unit_of_its_due(total, weights):
    shares = distribute(total, weights)

    assert sum(shares.values()) == total
    whole = sum(weights.values())
    for user, weight in weights.items():
        assert abs(shares[user] * whole - total * weight) < whole


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=len(USERS) - 1))
def test_settle_up_zeroes_every_balance_in_at_most_n_minus_one_transfers(raw):
    nets = {user: net for user, net in zip(USERS, raw, strict=False)}
    nets[USERS[len(nets)]] = -sum(nets.values())  # the last member balances the rest

    transfers = settle_up(nets)

    left = dict(nets)
    for debtor, creditor, amount in transfers:
        assert amount > 0 and left[debtor] < 0 < left[creditor]
        left[debtor] += amount
        left[creditor] -= amount
    assert set(left.values()) <= {0}
    assert len(transfers) <= max(0, sum(1 for net in nets.values() if net) - 1)


@st.composite
def ledgers(draw) -> list[tuple]:
    """A few writes by members 0..2 of the trip: expenses and payments."""
    writes = []
    for _ in range(draw(st.integers(1, 6))):
        payer = draw(st.integers(0, 2))
        if draw(st.booleans()):
            amount = draw(amounts("VND").filter(lambda a: a < 10**9))
            people = draw(st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True))
            writes.append(("expense", payer, str(amount), people))
        else:
            other = (payer + draw(st.integers(1, 2))) % 3  # someone else
            writes.append(("payment", payer, str(draw(st.integers(1, 10**7))), [other]))
    return writes


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(writes=ledgers())
def test_any_ledger_balances_to_zero_and_its_event_log_rebuilds_it(
    client_for, trip, alice, bob, carol, writes
):
    people = [alice, bob, carol]
    plan = make_plan(bob, group=trip)
    for kind, who, amount, others in writes:
        actor = people[who]
        if kind == "expense":
            split = {
                "strategy": "equal",
                "participants": [{"user_id": people[n].pk} for n in others],
            }
            services.expense_create(
                actor=actor, plan_id=plan.pk, title="x", amount=amount, split=split
            )
        else:
            payee = people[others[0]].pk
            services.settlement_record(
                actor=actor, plan_id=plan.pk, from_user=actor.pk, to_user=payee, amount=amount
            )

    body = client_for(bob).get(f"/api/v1/plans/{plan.pk}/balances").json()
    nets = {row["user"]["id"]: Decimal(row["net"]) for row in body["members"]}
    assert sum(nets.values()) == 0
    left = dict(nets)
    for transfer in body["settle_up"]:
        left[transfer["from_user"]] += Decimal(transfer["amount"])
        left[transfer["to_user"]] -= Decimal(transfer["amount"])
    assert set(left.values()) <= {0}
    assert len(body["settle_up"]) <= max(0, sum(1 for net in nets.values() if net) - 1)
    replayed = _replayed_nets(Event.objects.filter(topic=f"plan:{plan.pk}").order_by("seq"))
    assert {pk: replayed[pk] for pk in nets} == nets
