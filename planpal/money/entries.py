"""Turning an expense's input into exact rows: the amount, its conversion, the participants'
shares and the payers' amounts, in the expense's currency and in the plan's (docs/money.md §1).
Validation only: nothing is written here, so a refused input changes nothing."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from planpal.core.exceptions import InvalidInput
from planpal.money import currency as money
from planpal.money.models import Expense
from planpal.money.splitting import distribute

MAX_PARTICIPANTS = 100
MAX_SHARE_COUNT = 1000
HUNDRED = Decimal(100)
Strategy = Expense.Strategy


def fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("Some fields are invalid."), fields={field: [message]})


@dataclass(frozen=True)
class Line:
    """One share or payment: in the expense's currency and in the plan's."""

    user_id: int
    amount: Decimal
    plan_amount: Decimal
    value: Decimal | None = None


@dataclass(frozen=True)
class Entry:
    amount: Decimal
    currency: str
    rate: Decimal | None
    plan_amount: Decimal
    strategy: str
    shares: list[Line]
    payers: list[Line]


def _decimal(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise fail(field, _("A number is expected.")) from None
    if not value.is_finite():
        raise fail(field, _("A finite number is expected."))
    return value


def _conversion(
    amount: Decimal, code: str, plan_code: str, rate: Any
) -> tuple[Decimal | None, Decimal]:
    if code == plan_code:
        if rate is not None and _decimal(rate, "rate") != 1:
            raise fail("rate", _("No rate when the expense is in the plan's currency."))
        return None, amount
    if rate is None:
        raise fail(
            "rate",
            _("Give the rate from %(code)s to the plan's currency %(plan_code)s.")
            % {"code": code, "plan_code": plan_code},
        )
    parsed = money.parse_rate(str(rate))
    plan_amount = money.convert(amount, parsed, plan_code)
    if plan_amount.adjusted() >= money.MAX_CONVERTED_WHOLE_DIGITS:
        raise fail(
            "rate",
            _("The converted amount has more than %(digits)s digits before the point.")
            % {"digits": money.MAX_CONVERTED_WHOLE_DIGITS},
        )
    if plan_amount <= 0:
        raise fail(
            "rate", _("The converted amount rounds to 0 %(plan_code)s.") % {"plan_code": plan_code}
        )
    return parsed, plan_amount


def _members(user_ids: list[int], members: set[int], field: str) -> None:
    if len(set(user_ids)) != len(user_ids):
        raise fail(field, _("A user is listed twice."))
    strangers = sorted(set(user_ids) - members)
    if strangers:
        raise fail(
            field,
            _("Not members of this plan: %(values)s.") % {"values": ", ".join(map(str, strangers))},
        )


def _weight(strategy: str, raw: Any, code: str, field: str) -> Decimal:
    if strategy == Strategy.EQUAL:
        if raw is not None:
            raise fail(field, _("An equal split takes no values."))
        return Decimal(1)
    if raw is None:
        raise fail(
            field, _("A %(strategy)s split needs a value for everyone.") % {"strategy": strategy}
        )
    if strategy == Strategy.EXACT:
        return money.parse_amount(str(raw), code, field=field)
    value = _decimal(raw, field)
    if strategy == Strategy.SHARES:
        if value != value.to_integral_value() or not 1 <= value <= MAX_SHARE_COUNT:
            raise fail(
                field,
                _("Shares are whole numbers from 1 to %(max_share_count)s.")
                % {"max_share_count": MAX_SHARE_COUNT},
            )
        return value.quantize(Decimal(1))
    if value <= 0 or value > HUNDRED or value != value.quantize(Decimal("0.01")):
        raise fail(field, _("Percents are above 0, at most 100, with 2 decimals at most."))
    return value.quantize(Decimal("0.01"))


def _weights(
    split: dict[str, Any], amount: Decimal, code: str, members: set[int]
) -> dict[int, Decimal]:
    strategy = split.get("strategy")
    if strategy not in Strategy.values:
        raise fail(
            "split", _("strategy is one of %(values)s.") % {"values": ", ".join(Strategy.values)}
        )
    people = split.get("participants") or []
    if not 1 <= len(people) <= MAX_PARTICIPANTS:
        raise fail(
            "split",
            _("Give 1 to %(max_participants)s participants.")
            % {"max_participants": MAX_PARTICIPANTS},
        )
    _members([p["user_id"] for p in people], members, "split")
    weights = {p["user_id"]: _weight(strategy, p.get("value"), code, "split") for p in people}
    total = sum(weights.values(), Decimal(0))
    if strategy == Strategy.PERCENT and total != HUNDRED:
        raise fail("split", _("Percents add up to %(total)s, not 100.") % {"total": total})
    if strategy == Strategy.EXACT and total != amount:
        raise fail(
            "split",
            _("Exact shares add up to %(total)s, not %(amount)s.")
            % {"total": total, "amount": amount},
        )
    return weights


def _payers(
    paid_by: int | None,
    payers: list[dict[str, Any]] | None,
    actor_id: int,
    amount: Decimal,
    code: str,
    members: set[int],
) -> dict[int, Decimal]:
    if paid_by is not None and payers is not None:
        raise fail("payers", _("Give paid_by or payers, not both."))
    if payers is None:
        who = actor_id if paid_by is None else paid_by
        _members([who], members, "paid_by")
        return {who: amount}
    if not 1 <= len(payers) <= MAX_PARTICIPANTS:
        raise fail(
            "payers",
            _("Give 1 to %(max_participants)s payers.") % {"max_participants": MAX_PARTICIPANTS},
        )
    _members([p["user_id"] for p in payers], members, "payers")
    paid = {
        p["user_id"]: money.parse_amount(str(p["amount"]), code, field="payers") for p in payers
    }
    total = sum(paid.values(), Decimal(0))
    if total != amount:
        raise fail(
            "payers",
            _("Payers' amounts add up to %(total)s, not %(amount)s.")
            % {"total": total, "amount": amount},
        )
    return paid


def _lines(
    weights: dict[int, Decimal],
    amount: Decimal,
    code: str,
    plan_amount: Decimal,
    plan_code: str,
    *,
    keep_values: bool,
) -> list[Line]:
    units = distribute(money.to_units(amount, code), weights)
    plan_units = distribute(money.to_units(plan_amount, plan_code), weights)
    return [
        Line(
            user_id=user_id,
            amount=money.from_units(units[user_id], code),
            plan_amount=money.from_units(plan_units[user_id], plan_code),
            value=weights[user_id] if keep_values else None,
        )
        for user_id in sorted(units)
    ]


def build(*, values: dict[str, Any], plan_code: str, members: set[int], actor_id: int) -> Entry:
    """The exact entry for `values` (amount, currency, rate, split, paid_by, payers) or an
    InvalidInput naming the first field at fault."""
    code = money.check_currency(values.get("currency") or plan_code)
    amount = money.parse_amount(str(values["amount"]), code)
    rate, plan_amount = _conversion(amount, code, plan_code, values.get("rate"))
    split = values["split"]
    weights = _weights(split, amount, code, members)
    paid = _payers(values.get("paid_by"), values.get("payers"), actor_id, amount, code, members)
    keep = split["strategy"] != Strategy.EQUAL
    return Entry(
        amount=amount,
        currency=code,
        rate=rate,
        plan_amount=plan_amount,
        strategy=split["strategy"],
        shares=_lines(weights, amount, code, plan_amount, plan_code, keep_values=keep),
        payers=_lines(paid, amount, code, plan_amount, plan_code, keep_values=False),
    )
