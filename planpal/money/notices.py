"""Who hears about the ledger outside the Budget tab (registered with planpal.core.notices):
every member when spending crosses 80 % or 100 % of the budget (once per upward crossing:
the event says which lines it crossed), every member when one expense is at least a quarter
of the budget, and each member with a balance when the plan completes."""

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.core import notices
from planpal.core.notices import Notice, register
from planpal.money import events, selectors
from planpal.money.summaries import amount_text_lazy as amount_text
from planpal.plans.events import PlanStatusChanged
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_member_ids
from planpal.realtime import fanout
from planpal.realtime.models import Event

LARGE_SHARE = Decimal("0.25")


def _plan(plan_id: int) -> Plan | None:
    return Plan.objects.filter(pk=plan_id).first()


def _crossings(plan_id: int, crossed: list[int], balances: events.BalancesData) -> list[Notice]:
    plan = _plan(plan_id)
    if plan is None or not crossed:
        return []
    top = max(crossed)
    spent = amount_text(str(balances.spent), balances.currency)
    budget = amount_text(str(balances.budget), balances.currency)
    if top == 100:
        title = format_lazy(_("{plan}: budget reached"), plan=plan.title)
    else:
        # "80 %" is one value: no "%" in the msgid, which gettext would read as a directive.
        used = f"{top} %"
        title = format_lazy(_("{plan}: budget {percent} used"), plan=plan.title, percent=used)
    return [
        Notice(
            kind=f"plan.budget_{top}",
            recipients=plan_member_ids(plan=plan),
            title=title,
            body=format_lazy(_("{spent} spent of {budget}."), spent=spent, budget=budget),
            data={"plan_id": plan.pk},
            group_id=plan.group_id,
            plan_id=plan.pk,
        )
    ]


def expense_written(event, topic: str, actor_id: int | None) -> list[Notice]:
    notices = _crossings(event.expense.plan, list(event.crossed), event.balances)
    if isinstance(event, events.ExpenseAdded):
        notices += _large(event)
    return notices


def _large(event: events.ExpenseAdded) -> list[Notice]:
    budget, expense = event.balances.budget, event.expense
    if not budget or expense.plan_amount < budget * LARGE_SHARE:
        return []
    plan = _plan(expense.plan)
    if plan is None:
        return []
    amount = amount_text(str(expense.plan_amount), expense.plan_currency)
    return [
        Notice(
            kind="plan.expense_large",
            recipients=plan_member_ids(plan=plan),
            title=format_lazy(_("{plan}: a large expense"), plan=plan.title),
            body=format_lazy(
                _("{expense}: {amount}, at least a quarter of the budget."),
                expense=expense.title,
                amount=amount,
            ),
            data={"plan_id": plan.pk, "expense_id": expense.id},
            group_id=plan.group_id,
            plan_id=plan.pk,
        )
    ]


def budget_updated(event: events.BudgetUpdated, topic: str, actor_id: int | None) -> list[Notice]:
    return _crossings(event.plan_id, list(event.crossed), event.balances)


def plan_completed(event: PlanStatusChanged, topic: str, actor_id: int | None) -> list[Notice]:
    """Each member with a non-zero balance: how much they owe or are owed."""
    if event.to != Plan.Status.COMPLETED:
        return []
    plan = _plan(event.plan_id)
    if plan is None:
        return []
    balances = selectors.balances(plan=plan)
    code = balances["currency"]
    notices = []
    for row in balances["members"]:
        net = Decimal(row["net"])
        if net == 0:
            continue
        text = amount_text(str(abs(net)), code)
        owing = _("You owe {amount}.") if net < 0 else _("You are owed {amount}.")
        body = format_lazy(owing, amount=text)
        notices.append(
            Notice(
                kind="plan.balance_due",
                recipients=[row["user"]["id"]],
                title=format_lazy(_("{plan} is over: settle up"), plan=plan.title),
                body=body,
                data={"plan_id": plan.pk, "net": row["net"], "currency": code},
                group_id=plan.group_id,
                plan_id=plan.pk,
            )
        )
    return notices


def _completed_rows(rows: list[Event]) -> None:
    """After the commit of a plan's status change: tell the balances. Not a planner of
    `plan.status_changed`: that event already notifies the same people (one notification per
    event and person), so these are sent as their own notices."""
    fanout.each_row_alone(rows, _tell_balances, "balance notices")


def _tell_balances(row: Event) -> None:
    event = PlanStatusChanged.model_validate(row.payload)
    planned: list[notices.Upkeep] = [*plan_completed(event, row.topic, row.actor_id)]
    notices.send(planned, actor_id=row.actor_id)


LISTENER = fanout.Listener(
    "money.balances_due",
    lambda name, topic: name == PlanStatusChanged.name and topic.startswith("plan:"),
    _completed_rows,
    after_commit=True,
)


def register_all() -> None:
    register(events.ExpenseAdded, expense_written)
    register(events.ExpenseUpdated, expense_written)
    register(events.BudgetUpdated, budget_updated)
    fanout.register(LISTENER)
