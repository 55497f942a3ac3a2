"""Every write to a plan's ledger: the budget, expenses, settlements (docs/money.md).

Each runs in one transaction that first locks the plan's row (SELECT ... FOR UPDATE, the lock
the activity services take too), so the ledger of a plan changes one write at a time: the
balances an event carries are exactly those after that write, and events are in write order.
A deadlock victim is run again by `retry_transaction`."""

from planpal.money.services.budget import budget_set
from planpal.money.services.expenses import expense_create, expense_delete, expense_update
from planpal.money.services.settlements import settlement_delete, settlement_record

__all__ = [
    "budget_set",
    "expense_create",
    "expense_delete",
    "expense_update",
    "settlement_delete",
    "settlement_record",
]
