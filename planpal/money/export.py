"""The CSV export of a plan's expenses: one row per expense and participant share, UTF-8 with
a BOM so that spreadsheet apps read accents and non-Latin names right (docs/money.md §8)."""

import csv
import io

from planpal.accounts.models import User
from planpal.money import currency as money
from planpal.money import selectors
from planpal.money.models import Expense
from planpal.plans.models import Plan

COLUMNS = [
    "expense_id", "spent_at", "title", "category", "amount", "currency", "rate", "plan_amount",
    "plan_currency", "paid_by", "participant", "share", "share_plan_currency", "note",
]  # fmt: skip
BOM = "\ufeff"


def _safe(text: str) -> str:
    """A cell a spreadsheet must not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def expenses_csv(*, plan: Plan) -> bytes:
    plan_code = selectors.currency_of(plan_id=plan.pk)
    expenses = list(selectors.expenses_of(plan=plan).order_by("spent_at", "id"))
    user_ids = {share.user_id for e in expenses for share in e.shares.all()}
    user_ids |= {payer.user_id for e in expenses for payer in e.payers.all()}
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for expense in expenses:
        for row in _rows(expense, plan_code, names):
            writer.writerow(row)
    return (BOM + out.getvalue()).encode("utf-8")


def _rows(expense: Expense, plan_code: str, names: dict[int, str]):
    code = expense.currency
    payers = sorted(expense.payers.all(), key=lambda payer: payer.user_id)
    paid_by = "; ".join(
        f"{names.get(p.user_id, p.user_id)} {money.show(p.amount, code)}" for p in payers
    )
    for share in sorted(expense.shares.all(), key=lambda share: share.user_id):
        yield [
            expense.pk,
            expense.spent_at.isoformat().replace("+00:00", "Z"),
            _safe(expense.title),
            expense.category,
            money.show(expense.amount, code),
            code,
            "" if expense.rate is None else f"{expense.rate:.8f}",
            money.show(expense.plan_amount, plan_code),
            plan_code,
            _safe(paid_by),
            _safe(names.get(share.user_id, str(share.user_id))),
            money.show(share.amount, code),
            money.show(share.plan_amount, plan_code),
            _safe(expense.note),
        ]
