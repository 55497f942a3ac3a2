"""Reads of a plan's ledger. A non-member gets NotFound for the plan, its expenses and its
settlements. Balances come from a fixed number of aggregate queries whatever the number of
expenses or members (docs/money.md §4)."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from planpal.accounts.selectors import users_public_data
from planpal.core.exceptions import NotFound
from planpal.money import currency as money
from planpal.money import presenters
from planpal.money.models import Budget, Expense, ExpensePayer, ExpenseShare, Settlement
from planpal.money.splitting import settle_up
from planpal.plans.models import Plan
from planpal.plans.selectors import (
    can_manage_plan,
    is_plan_member,
    plan_for_member,
    plan_member_ids,
)


def ledger_plan(*, user, plan_id: int) -> Plan:
    return plan_for_member(user=user, plan_id=plan_id)


def budget_of(*, plan_id: int) -> Budget | None:
    return Budget.objects.select_related("updated_by").filter(plan_id=plan_id).first()


def currency_of(*, plan_id: int) -> str:
    """The plan's currency: its budget's, else the default."""
    code = Budget.objects.filter(plan_id=plan_id).values_list("currency", flat=True).first()
    return code or money.DEFAULT_CURRENCY


def expenses_of(*, plan: Plan) -> QuerySet[Expense]:
    return (
        Expense.objects.filter(plan=plan)
        .select_related("created_by")
        .prefetch_related("shares", "payers")
        .order_by("-spent_at", "-id")
    )


def settlements_of(*, plan: Plan) -> QuerySet[Settlement]:
    return (
        Settlement.objects.filter(plan=plan)
        .select_related("recorded_by")
        .order_by("-created_at", "-id")
    )


def expense_for_member(*, user, expense_id: int) -> Expense:
    expense = expenses_of_any().filter(pk=expense_id).first()
    if expense is None or not is_plan_member(user=user, plan=expense.plan):
        raise NotFound(_("Expense not found."))
    return expense


def expenses_of_any() -> QuerySet[Expense]:
    return Expense.objects.select_related("created_by", "plan").prefetch_related("shares", "payers")


def settlement_for_member(*, user, settlement_id: int) -> Settlement:
    settlement = (
        Settlement.objects.select_related("recorded_by", "plan").filter(pk=settlement_id).first()
    )
    if settlement is None or not is_plan_member(user=user, plan=settlement.plan):
        raise NotFound(_("Settlement not found."))
    return settlement


def may_edit_expense(*, user, expense: Expense) -> bool:
    """The member who added it, or a manager of the plan."""
    return expense.created_by_id == user.pk or can_manage_plan(user, expense.plan)


def budget_summary(*, plan_id: int, budget: Budget | None) -> dict[str, Any]:
    """The budget as GET budget shows it (without `stream`): the row plus what was spent."""
    data = presenters.budget_data(plan_id=plan_id, budget=budget)
    code = data["currency"]
    categories = _sums(Expense.objects.filter(plan_id=plan_id), "category", "plan_amount")
    spent = sum(categories.values(), Decimal(0))
    amount = budget.amount if budget else None
    return {
        **data,
        "spent": money.show(spent, code),
        "remaining": None if amount is None else money.show(amount - spent, code),
        "by_category": {
            name: money.show(total, code) for name, total in sorted(categories.items())
        },
    }


def spent_of(*, plan_id: int) -> Decimal:
    total = Expense.objects.filter(plan_id=plan_id).aggregate(total=Sum("plan_amount"))["total"]
    return total or Decimal(0)


def _sums(queryset: QuerySet, key: str, value: str) -> dict[Any, Decimal]:
    rows = queryset.values(key).annotate(total=Sum(value)).values_list(key, "total")
    return {row_key: total for row_key, total in rows}


def balances(*, plan: Plan) -> dict[str, Any]:
    """Per member paid / owed / sent / received / net and the settle-up transfers, in the
    plan's currency (docs/money.md §4). Eight queries for any plan."""
    budget = Budget.objects.filter(plan_id=plan.pk).first()
    code = budget.currency if budget else money.DEFAULT_CURRENCY
    columns = {
        "paid": _sums(ExpensePayer.objects.filter(plan=plan), "user_id", "plan_amount"),
        "owed": _sums(ExpenseShare.objects.filter(plan=plan), "user_id", "plan_amount"),
        "sent": _sums(Settlement.objects.filter(plan=plan), "from_user_id", "amount"),
        "received": _sums(Settlement.objects.filter(plan=plan), "to_user_id", "amount"),
    }
    categories = _sums(Expense.objects.filter(plan=plan), "category", "plan_amount")
    rows: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(columns, Decimal(0)))
    for user_id in plan_member_ids(plan=plan):
        rows[user_id]
    for column, sums in columns.items():
        for user_id, total in sums.items():
            rows[user_id][column] = total
    nets = {
        user_id: row["paid"] - row["owed"] + row["sent"] - row["received"]
        for user_id, row in rows.items()
    }
    people = users_public_data(rows)
    return {
        "plan": plan.pk,
        "currency": code,
        "budget": money.show(budget.amount if budget else None, code),
        "spent": money.show(sum(categories.values(), Decimal(0)), code),
        "by_category": {
            name: money.show(total, code) for name, total in sorted(categories.items())
        },
        "members": [
            {
                "user": people[user_id],
                **{column: money.show(value, code) for column, value in rows[user_id].items()},
                "net": money.show(nets[user_id], code),
            }
            for user_id in sorted(rows)
            if user_id in people
        ],
        "settle_up": _transfers(nets, code),
    }


def _transfers(nets: dict[int, Decimal], code: str) -> list[dict[str, Any]]:
    units = {user_id: money.to_units(net, code) for user_id, net in nets.items()}
    return [
        {
            "from_user": debtor,
            "to_user": creditor,
            "amount": money.show(money.from_units(n, code), code),
        }
        for debtor, creditor, n in settle_up(units)
    ]
