"""Expenses: add, edit, delete."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.timezone import is_naive
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.db import retry_transaction
from planpal.core.exceptions import Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.validation import clean_client_id, in_zone
from planpal.money import entries, events, presenters, selectors
from planpal.money.entries import fail
from planpal.money.models import Expense, ExpensePayer, ExpenseShare
from planpal.money.services.common import (
    MAX_EXPENSES_PER_PLAN,
    MONEY_FIELDS,
    balances_head,
    crossed,
    emit_on_plan,
    locked_plan,
)
from planpal.plans.models import Activity, Plan
from planpal.plans.selectors import plan_member_ids


def _details(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """Title, category, spent_at, activity, note: checked and normalised."""
    clean: dict[str, Any] = {}
    if "title" in values:
        title = (values["title"] or "").strip()
        if not title or len(title) > 200:
            raise fail("title", _("A title of 1 to 200 characters."))
        clean["title"] = title
    if "category" in values:
        if values["category"] not in Expense.Category.values:
            raise fail(
                "category", _("One of %(values)s.") % {"values": ", ".join(Expense.Category.values)}
            )
        clean["category"] = values["category"]
    if "spent_at" in values:
        clean["spent_at"] = _moment(values["spent_at"], plan)
    if "activity" in values:
        activity_id = values["activity"]
        if (
            activity_id is not None
            and not Activity.objects.filter(pk=activity_id, plan=plan).exists()
        ):
            raise fail("activity", _("Not an activity of this plan."))
        clean["activity_id"] = activity_id
    if "note" in values:
        note = values["note"] or ""
        if len(note) > 2000:
            raise fail("note", _("At most 2000 characters."))
        clean["note"] = note
    return clean


def _moment(value: datetime | None, plan: Plan) -> datetime:
    if value is None:
        return utc_now()
    return in_zone(value, plan.timezone, field="spent_at") if is_naive(value) else value


def _entry(plan: Plan, values: dict[str, Any], actor: User) -> entries.Entry:
    return entries.build(
        values=values,
        plan_code=selectors.currency_of(plan_id=plan.pk),
        members=set(plan_member_ids(plan=plan)),
        actor_id=actor.pk,
    )


def _save_lines(expense: Expense, entry: entries.Entry) -> None:
    ExpenseShare.objects.bulk_create(
        ExpenseShare(
            expense=expense,
            plan_id=expense.plan_id,
            user_id=line.user_id,
            value=line.value,
            amount=line.amount,
            plan_amount=line.plan_amount,
        )
        for line in entry.shares
    )
    ExpensePayer.objects.bulk_create(
        ExpensePayer(
            expense=expense,
            plan_id=expense.plan_id,
            user_id=line.user_id,
            amount=line.amount,
            plan_amount=line.plan_amount,
        )
        for line in entry.payers
    )


def _expense_event(event_class, expense: Expense, plan: Plan, before: Decimal):
    expense = selectors.expenses_of_any().get(pk=expense.pk)  # fresh lines, one prefetch
    balances = balances_head(plan)
    return event_class(
        expense=events.ExpenseData.model_validate(
            presenters.expense_data(expense, balances.currency)
        ),
        balances=balances,
        crossed=crossed(balances.budget, before, balances.spent),
    ), expense


def expense_create(
    *, actor: User, plan_id: int, client_id: str | None = None, **values: Any
) -> tuple[Expense, bool]:
    """A member adds an expense (docs/money.md §3). Idempotent by client_id: a retry returns
    the first expense with created=False and emits nothing."""
    client_id = clean_client_id(client_id)

    def write() -> tuple[Expense, bool]:
        with transaction.atomic():
            plan = locked_plan(actor=actor, plan_id=plan_id)
            if client_id is not None:
                first = selectors.expenses_of_any().filter(
                    plan=plan, created_by=actor, client_id=client_id
                )
                if found := first.first():
                    return found, False
            if Expense.objects.filter(plan=plan).count() >= MAX_EXPENSES_PER_PLAN:
                raise InvalidInput(
                    _("At most %(max_expenses_per_plan)s expenses in a plan.")
                    % {"max_expenses_per_plan": MAX_EXPENSES_PER_PLAN},
                    code="too_many_expenses",
                )
            values.setdefault("spent_at", None)
            details = _details(values, plan)
            entry = _entry(plan, values, actor)
            before = selectors.spent_of(plan_id=plan.pk)
            expense = Expense.objects.create(
                plan=plan,
                created_by=actor,
                client_id=client_id,
                amount=entry.amount,
                currency=entry.currency,
                rate=entry.rate,
                plan_amount=entry.plan_amount,
                strategy=entry.strategy,
                **details,
            )
            _save_lines(expense, entry)
            event, expense = _expense_event(events.ExpenseAdded, expense, plan, before)
            emit_on_plan(event, plan.pk, actor, client_id)
            return expense, True

    return retry_transaction(write)


def _locked_expense(*, actor: User, expense_id: int, version: int | None) -> tuple[Expense, Plan]:
    """The expense and its plan (locked), after the permission and version checks."""
    plan_id = Expense.objects.filter(pk=expense_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise NotFound(_("Expense not found."))
    try:
        plan = locked_plan(actor=actor, plan_id=plan_id)
    except NotFound:
        raise NotFound(_("Expense not found.")) from None
    expense = selectors.expenses_of_any().filter(pk=expense_id).first()
    if expense is None:
        raise NotFound(_("Expense not found."))
    if not selectors.may_edit_expense(user=actor, expense=expense):
        raise Forbidden(_("Only who added this expense or the plan's managers can change it."))
    if version is not None and version != expense.version:
        raise VersionConflict(expense)
    return expense, plan


def _current_money(expense: Expense) -> dict[str, Any]:
    payers = list(expense.payers.all())
    valued = expense.strategy != Expense.Strategy.EQUAL
    return {
        "amount": expense.amount,
        "currency": expense.currency,
        "rate": expense.rate,
        "paid_by": payers[0].user_id if len(payers) == 1 else None,
        "payers": None
        if len(payers) == 1
        else [{"user_id": p.user_id, "amount": p.amount} for p in payers],
        "split": {
            "strategy": expense.strategy,
            "participants": [
                {"user_id": s.user_id, "value": s.value if valued else None}
                for s in expense.shares.all()
            ],
        },
    }


def _merged_money(expense: Expense, changes: dict[str, Any]) -> dict[str, Any]:
    merged = _current_money(expense)
    if "currency" in changes and "rate" not in changes:
        merged["rate"] = None  # a rate belongs to the currency it was given for
    if "paid_by" in changes:
        merged["payers"] = None
    if "payers" in changes:
        merged["paid_by"] = None
    merged.update({key: changes[key] for key in MONEY_FIELDS if key in changes})
    return merged


def expense_update(*, actor: User, expense_id: int, version: int, **changes: Any) -> Expense:
    """Its creator or a manager of the plan edits an expense; a stale version is a 409 with
    the current expense. Changing any money field recomputes every share and payment."""

    def write() -> Expense:
        with transaction.atomic():
            expense, plan = _locked_expense(actor=actor, expense_id=expense_id, version=version)
            details = _details(changes, plan)
            before = selectors.spent_of(plan_id=plan.pk)
            fields = list(details)
            for name, value in details.items():
                setattr(expense, name, value)
            if any(key in changes for key in MONEY_FIELDS):
                entry = _entry(plan, _merged_money(expense, changes), actor)
                expense.amount, expense.currency, expense.rate = (
                    entry.amount,
                    entry.currency,
                    entry.rate,
                )
                expense.plan_amount, expense.strategy = entry.plan_amount, entry.strategy
                fields += ["amount", "currency", "rate", "plan_amount", "strategy"]
                expense.shares.all().delete()
                expense.payers.all().delete()
                _save_lines(expense, entry)
            expense.version += 1
            expense.save(update_fields=[*fields, "version", "updated_at"])
            event, expense = _expense_event(events.ExpenseUpdated, expense, plan, before)
            emit_on_plan(event, plan.pk, actor)
            return expense

    return retry_transaction(write)


def expense_delete(*, actor: User, expense_id: int, version: int | None = None) -> None:
    def write() -> None:
        with transaction.atomic():
            expense, plan = _locked_expense(actor=actor, expense_id=expense_id, version=version)
            expense.delete()
            event = events.ExpenseDeleted(
                plan_id=plan.pk, expense_id=expense_id, balances=balances_head(plan)
            )
            emit_on_plan(event, plan.pk, actor)

    retry_transaction(write)
