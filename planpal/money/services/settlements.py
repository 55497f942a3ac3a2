"""Payments between members: record, delete (either party)."""

from django.db import transaction
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.db import retry_transaction
from planpal.core.exceptions import Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.validation import clean_client_id
from planpal.money import currency as money
from planpal.money import events, presenters, selectors
from planpal.money.entries import fail
from planpal.money.models import Settlement
from planpal.money.services.common import (
    MAX_SETTLEMENTS_PER_PLAN,
    balances_head,
    emit_on_plan,
    locked_plan,
)
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_member_ids


def settlement_record(
    *,
    actor: User,
    plan_id: int,
    from_user: int,
    to_user: int,
    amount: str,
    note: str = "",
    client_id: str | None = None,
) -> tuple[Settlement, bool]:
    """One of the two people records that `from_user` paid `to_user` (plan's currency)."""
    client_id = clean_client_id(client_id)

    def write() -> tuple[Settlement, bool]:
        with transaction.atomic():
            plan = locked_plan(actor=actor, plan_id=plan_id)
            if client_id is not None:
                first = Settlement.objects.select_related("recorded_by")
                mine = first.filter(plan=plan, recorded_by=actor, client_id=client_id)
                if found := mine.first():
                    return found, False
            _check_parties(plan, actor, from_user, to_user)
            code = selectors.currency_of(plan_id=plan.pk)
            value = money.parse_amount(str(amount), code)
            if len(note or "") > 500:
                raise fail("note", _("At most 500 characters."))
            if Settlement.objects.filter(plan=plan).count() >= MAX_SETTLEMENTS_PER_PLAN:
                raise InvalidInput(
                    _("Too many payments in this plan."), code="too_many_settlements"
                )
            settlement = Settlement.objects.create(
                plan=plan,
                from_user_id=from_user,
                to_user_id=to_user,
                amount=value,
                currency=code,
                note=note or "",
                recorded_by=actor,
                client_id=client_id,
            )
            event = events.SettlementRecorded(
                settlement=events.SettlementData.model_validate(
                    presenters.settlement_data(settlement)
                ),
                balances=balances_head(plan),
            )
            emit_on_plan(event, plan.pk, actor, client_id)
            return settlement, True

    return retry_transaction(write)


def _check_parties(plan: Plan, actor: User, from_user: int, to_user: int) -> None:
    if from_user == to_user:
        raise fail("to_user", _("A payment is between two different members."))
    members = set(plan_member_ids(plan=plan))
    for field, user_id in (("from_user", from_user), ("to_user", to_user)):
        if user_id not in members:
            raise fail(
                field, _("User %(user_id)s is not a member of this plan.") % {"user_id": user_id}
            )
    if actor.pk not in (from_user, to_user):
        raise Forbidden(_("Only the payer or the payee can record a payment."))


def settlement_delete(*, actor: User, settlement_id: int, version: int | None = None) -> None:
    """Either party deletes a payment: the recorder undoes a mistake, the other disputes it."""

    def write() -> None:
        with transaction.atomic():
            plan_id = (
                Settlement.objects.filter(pk=settlement_id)
                .values_list("plan_id", flat=True)
                .first()
            )
            if plan_id is None:
                raise NotFound(_("Settlement not found."))
            try:
                plan = locked_plan(actor=actor, plan_id=plan_id)
            except NotFound:
                raise NotFound(_("Settlement not found.")) from None
            settlement = (
                Settlement.objects.select_related("recorded_by").filter(pk=settlement_id).first()
            )
            if settlement is None:
                raise NotFound(_("Settlement not found."))
            if actor.pk not in (settlement.from_user_id, settlement.to_user_id):
                raise Forbidden(_("Only the payer or the payee can delete a payment."))
            if version is not None and version != settlement.version:
                raise VersionConflict(settlement)
            settlement.delete()
            event = events.SettlementDeleted(
                plan_id=plan.pk, settlement_id=settlement_id, balances=balances_head(plan)
            )
            emit_on_plan(event, plan.pk, actor)

    retry_transaction(write)
