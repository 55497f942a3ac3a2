"""Typed money events on `plan:<id>` (docs/money.md §6). Each carries the ledger's head after
the change (`balances`), so a client replaces its copy of the expense or settlement and its
balances without a refetch. The expense and settlement shapes are exactly the REST ones: the
services build them from the output serializers' data, validated here."""

from datetime import datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from planpal.accounts.events import PublicUser
from planpal.core.events import DomainEvent

Threshold = Literal[80, 100]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberBalance(Payload):
    user: PublicUser
    paid: Decimal
    owed: Decimal
    sent: Decimal
    received: Decimal
    net: Decimal


class Transfer(Payload):
    from_user: int
    to_user: int
    amount: Decimal


class BalancesData(Payload):
    plan: int
    currency: str
    budget: Decimal | None
    spent: Decimal
    by_category: dict[str, Decimal]
    members: list[MemberBalance]
    settle_up: list[Transfer]


class BudgetData(Payload):
    plan: int
    amount: Decimal | None
    currency: str
    version: int
    updated_by: PublicUser | None
    updated_at: datetime | None


class PayerData(Payload):
    user_id: int
    amount: Decimal
    plan_amount: Decimal


class ShareData(Payload):
    user_id: int
    amount: Decimal
    plan_amount: Decimal


class Participant(Payload):
    user_id: int
    value: Decimal | None


class SplitData(Payload):
    strategy: str
    participants: list[Participant]


class ExpenseData(Payload):
    id: int
    plan: int
    title: str
    amount: Decimal
    currency: str
    rate: Decimal | None
    plan_amount: Decimal
    plan_currency: str
    category: str
    spent_at: datetime
    activity: int | None
    note: str
    paid_by: int | None
    payers: list[PayerData]
    split: SplitData
    shares: list[ShareData]
    created_by: PublicUser
    client_id: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class SettlementData(Payload):
    id: int
    plan: int
    from_user: int
    to_user: int
    amount: Decimal
    currency: str
    note: str
    recorded_by: PublicUser
    client_id: str | None
    version: int
    created_at: datetime


class BudgetUpdated(DomainEvent):
    name: ClassVar[str] = "plan.budget_updated"
    plan_id: int
    budget: BudgetData
    balances: BalancesData
    # Budget lines the plan's spending crossed upwards with this change (for the notices).
    crossed: list[Threshold] = []


class ExpenseAdded(DomainEvent):
    name: ClassVar[str] = "plan.expense_added"
    expense: ExpenseData
    balances: BalancesData
    crossed: list[Threshold] = []


class ExpenseUpdated(DomainEvent):
    name: ClassVar[str] = "plan.expense_updated"
    expense: ExpenseData
    balances: BalancesData
    crossed: list[Threshold] = []


class ExpenseDeleted(DomainEvent):
    name: ClassVar[str] = "plan.expense_deleted"
    plan_id: int
    expense_id: int
    balances: BalancesData


class SettlementRecorded(DomainEvent):
    name: ClassVar[str] = "plan.settlement_recorded"
    settlement: SettlementData
    balances: BalancesData


class SettlementDeleted(DomainEvent):
    name: ClassVar[str] = "plan.settlement_deleted"
    plan_id: int
    settlement_id: int
    balances: BalancesData
