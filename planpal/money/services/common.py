"""What the ledger's writes share: locking the plan, emitting, the balances head, budget
line crossings."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import NotFound
from planpal.money import events, selectors
from planpal.plans.models import Plan
from planpal.plans.selectors import is_plan_member

MAX_EXPENSES_PER_PLAN = 5000
MAX_SETTLEMENTS_PER_PLAN = 2000
THRESHOLDS = (80, 100)
MONEY_FIELDS = ("amount", "currency", "rate", "split", "paid_by", "payers")


def locked_plan(*, actor, plan_id: int) -> Plan:
    plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or not is_plan_member(user=actor, plan=plan):
        raise NotFound(_("Plan not found."))
    return plan


def emit_on_plan(event: DomainEvent, plan_id: int, actor, client_id: str | None = None) -> None:
    emit(event, topic=topic_for("plan", plan_id), actor=actor, client_id=client_id)


def balances_head(plan: Plan) -> events.BalancesData:
    return events.BalancesData.model_validate(selectors.balances(plan=plan))


def crossed(budget: Decimal | None, before: Decimal, after: Decimal) -> list[Any]:
    """The budget lines (80 %, 100 %) spending went over with this write, upwards only."""
    if not budget:
        return []
    return [t for t in THRESHOLDS if before < budget * t / 100 <= after]
