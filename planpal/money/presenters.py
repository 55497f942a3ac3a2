"""The JSON shapes of budgets, expenses and settlements (docs/money.md): one function each,
used by the output serializers and by the events, so REST and events cannot drift apart."""

from datetime import UTC, datetime
from typing import Any

from planpal.accounts.selectors import user_public_data
from planpal.money import currency as money
from planpal.money.models import Budget, Expense, Settlement


def _utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as DRF writes times."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def budget_data(*, plan_id: int, budget: Budget | None) -> dict[str, Any]:
    if budget is None:
        code = money.DEFAULT_CURRENCY
        return {
            "plan": plan_id,
            "amount": None,
            "currency": code,
            "version": 0,
            "updated_by": None,
            "updated_at": None,
        }
    return {
        "plan": plan_id,
        "amount": money.show(budget.amount, budget.currency),
        "currency": budget.currency,
        "version": budget.version,
        "updated_by": user_public_data(budget.updated_by) if budget.updated_by else None,
        "updated_at": _utc(budget.updated_at),
    }


def expense_data(expense: Expense, plan_currency: str) -> dict[str, Any]:
    """`shares` and `payers` must be prefetched (selectors.expenses_of) or fresh."""
    code = expense.currency
    shares = sorted(expense.shares.all(), key=lambda share: share.user_id)
    payers = sorted(expense.payers.all(), key=lambda payer: payer.user_id)
    valued = expense.strategy != Expense.Strategy.EQUAL
    return {
        "id": expense.pk,
        "plan": expense.plan_id,
        "title": expense.title,
        "amount": money.show(expense.amount, code),
        "currency": code,
        "rate": None if expense.rate is None else f"{expense.rate:.8f}",
        "plan_amount": money.show(expense.plan_amount, plan_currency),
        "plan_currency": plan_currency,
        "category": expense.category,
        "spent_at": _utc(expense.spent_at),
        "activity": expense.activity_id,
        "note": expense.note,
        "paid_by": payers[0].user_id if len(payers) == 1 else None,
        "payers": [_line(payer, code, plan_currency) for payer in payers],
        "split": {
            "strategy": expense.strategy,
            "participants": [
                {
                    "user_id": share.user_id,
                    "value": _value(share.value, expense) if valued else None,
                }
                for share in shares
            ],
        },
        "shares": [_line(share, code, plan_currency) for share in shares],
        "created_by": user_public_data(expense.created_by),
        "client_id": expense.client_id,
        "version": expense.version,
        "created_at": _utc(expense.created_at),
        "updated_at": _utc(expense.updated_at),
    }


def _value(value, expense: Expense) -> str | None:
    if value is None:
        return None
    if expense.strategy == Expense.Strategy.SHARES:
        return str(int(value))
    if expense.strategy == Expense.Strategy.EXACT:
        return money.show(value, expense.currency)
    return f"{value:.2f}"


def _line(line, code: str, plan_currency: str) -> dict[str, Any]:
    return {
        "user_id": line.user_id,
        "amount": money.show(line.amount, code),
        "plan_amount": money.show(line.plan_amount, plan_currency),
    }


def settlement_data(settlement: Settlement) -> dict[str, Any]:
    return {
        "id": settlement.pk,
        "plan": settlement.plan_id,
        "from_user": settlement.from_user_id,
        "to_user": settlement.to_user_id,
        "amount": money.show(settlement.amount, settlement.currency),
        "currency": settlement.currency,
        "note": settlement.note,
        "recorded_by": user_public_data(settlement.recorded_by),
        "client_id": settlement.client_id,
        "version": settlement.version,
        "created_at": _utc(settlement.created_at),
    }
