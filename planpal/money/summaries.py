"""Human summaries of money events for the activity feed (registered in apps.py), in the reader's
language, amounts with its separators."""

from typing import Any

from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]


def amount_text(amount: str, code: str) -> str:
    """ "1,250,000.50 VND" in English, "1.250.000,50 VND" in Vietnamese (the active language's
    separators; the digits as stored)."""
    whole, _point, cents = amount.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return f"{sign}{grouped}{get_format('DECIMAL_SEPARATOR') + cents if cents else ''} {code}"


# For notices: written in each recipient's language.
amount_text_lazy = lazy(amount_text, str)


def _budget(payload: Payload, actor: int | None, names: Names) -> str:
    budget = payload["budget"]
    if budget["amount"] is None:
        return _("%(actor)s removed the budget") % {"actor": names.of(actor)}
    amount = amount_text(budget["amount"], budget["currency"])
    return _("%(actor)s set the budget to %(amount)s") % {
        "actor": names.of(actor),
        "amount": amount,
    }


def _expense(sentence: str):
    """`sentence` is marked with gettext_noop and translated when the feed is read."""

    def summary(payload: Payload, actor: int | None, names: Names) -> str:
        expense = payload["expense"]
        amount = amount_text(expense["amount"], expense["currency"])
        return _(sentence) % {"actor": names.of(actor), "title": expense["title"], "amount": amount}

    return summary


def _settlement(payload: Payload, actor: int | None, names: Names) -> str:
    """The feed names only the actor and a bare user_id; the two people of a payment are in
    the payload's balances (every member with a row there)."""
    paid = payload["settlement"]
    people = {row["user"]["id"]: row["user"] for row in payload["balances"]["members"]}
    amount = amount_text(paid["amount"], paid["currency"])
    payer, payee = people.get(paid["from_user"]), people.get(paid["to_user"])
    return _("%(actor)s recorded: %(payer)s paid %(payee)s %(amount)s") % {
        "actor": names.of(actor),
        "payer": person(payer),
        "payee": person(payee),
        "amount": amount,
    }


SUMMARIES = {
    "plan.budget_updated": _budget,
    "plan.expense_added": _expense(gettext_noop("%(actor)s added %(title)s (%(amount)s)")),
    "plan.expense_updated": _expense(gettext_noop("%(actor)s edited %(title)s (%(amount)s)")),
    "plan.expense_deleted": lambda p, a, n: _("%(actor)s deleted an expense") % {"actor": n.of(a)},
    "plan.settlement_recorded": _settlement,
    "plan.settlement_deleted": lambda p, a, n: (
        _("%(actor)s deleted a payment") % {"actor": n.of(a)}
    ),
}
