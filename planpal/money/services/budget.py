"""The plan's budget and currency."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.exceptions import VersionConflict
from planpal.money import currency as money
from planpal.money import events, presenters, selectors
from planpal.money.entries import fail
from planpal.money.models import Budget, Expense, Settlement
from planpal.money.services.common import (
    balances_head,
    crossed,
    emit_on_plan,
    locked_plan,
)
from planpal.plans.models import Plan


def budget_set(
    *,
    actor: User,
    plan_id: int,
    amount: str | None,
    currency: str | None = None,
    version: int | None = None,
) -> Budget:
    """Any member sets (or clears, amount=None) the plan's budget and currency. The currency
    is fixed once the plan has expenses or settlements (their amounts are converted to it)."""
    with transaction.atomic():
        plan = locked_plan(actor=actor, plan_id=plan_id)
        budget = Budget.objects.filter(plan=plan).first()
        if version is not None and version != (budget.version if budget else 0):
            raise VersionConflict(budget or Budget(plan=plan, version=0))
        current = budget.currency if budget else money.DEFAULT_CURRENCY
        code = money.check_currency(currency or current)
        if code != current and _has_entries(plan):
            raise fail(
                "currency",
                _("The plan has expenses or payments in %(current)s.") % {"current": current},
            )
        value = None if amount is None else money.parse_amount(amount, code)
        before = selectors.spent_of(plan_id=plan.pk)
        old_line = budget.amount if budget else None
        budget = budget or Budget(plan=plan, version=0)
        budget.amount, budget.currency, budget.updated_by = value, code, actor
        budget.version += 1
        budget.save()
        # Lines spending is over with the new budget and was not with the old one.
        lines = [
            t
            for t in crossed(value, Decimal(0), before)
            if t not in crossed(old_line, Decimal(0), before)
        ]
        event = events.BudgetUpdated(
            plan_id=plan.pk,
            budget=events.BudgetData.model_validate(
                presenters.budget_data(plan_id=plan.pk, budget=budget)
            ),
            balances=balances_head(plan),
            crossed=lines,
        )
        emit_on_plan(event, plan.pk, actor)
    return budget


def _has_entries(plan: Plan) -> bool:
    return (
        Expense.objects.filter(plan=plan).exists() or Settlement.objects.filter(plan=plan).exists()
    )
