"""Human summaries of money events for the activity feed (registered in apps.py)."""

from typing import Any

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]


def amount_text(amount: str, code: str) -> str:
    whole, _, cents = amount.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{grouped}{'.' + cents if cents else ''} {code}"


def _budget(payload: Payload, actor: int | None, names: Names) -> str:
    budget = payload["budget"]
    if budget["amount"] is None:
        return f"{names.of(actor)} removed the budget"
    return (
        f"{names.of(actor)} set the budget to {amount_text(budget['amount'], budget['currency'])}"
    )


def _expense(verb: str):
    def summary(payload: Payload, actor: int | None, names: Names) -> str:
        expense = payload["expense"]
        amount = amount_text(expense["amount"], expense["currency"])
        return f"{names.of(actor)} {verb} {expense['title']} ({amount})"

    return summary


def _settlement(payload: Payload, actor: int | None, names: Names) -> str:
    """The feed names only the actor and a bare user_id; the two people of a payment are in
    the payload's balances (every member with a row there)."""
    paid = payload["settlement"]
    people = {row["user"]["id"]: row["user"] for row in payload["balances"]["members"]}
    amount = amount_text(paid["amount"], paid["currency"])
    payer, payee = people.get(paid["from_user"]), people.get(paid["to_user"])
    return f"{names.of(actor)} recorded: {person(payer)} paid {person(payee)} {amount}"


SUMMARIES = {
    "plan.budget_updated": _budget,
    "plan.expense_added": _expense("added"),
    "plan.expense_updated": _expense("edited"),
    "plan.expense_deleted": lambda p, a, n: f"{n.of(a)} deleted an expense",
    "plan.settlement_recorded": _settlement,
    "plan.settlement_deleted": lambda p, a, n: f"{n.of(a)} deleted a payment",
}
