"""Builders for money tests: every write goes through planpal.money.services."""

from planpal.money import services


def equal(*users) -> dict:
    return {"strategy": "equal", "participants": [{"user_id": u.pk} for u in users]}


def spend(actor, plan, amount="300000", *, split=None, **values):
    """`actor` pays `amount` for an expense of `plan`, split equally between the given users
    (default: just the actor)."""
    expense, _ = services.expense_create(
        actor=actor,
        plan_id=plan.pk,
        title=values.pop("title", "Dinner"),
        amount=amount,
        split=split or equal(actor),
        **values,
    )
    return expense


def url(path: str, pk: int) -> str:
    return f"/api/v1/{path.format(pk)}"
