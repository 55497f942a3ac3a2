"""A poll asked in a group or a plan: its options, days and deadline checked."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.exceptions import Conflict, InvalidInput
from planpal.core.validation import clean_client_id
from planpal.groups.selectors import require_membership
from planpal.plans.models import plan_closed_message
from planpal.plans.selectors import plan_for_member
from planpal.polls.models import Option, Poll
from planpal.polls.services.common import (
    MAX_DATE_POLL_DAYS,
    MAX_DEADLINE_AHEAD,
    MAX_OPTIONS,
    MAX_POLLS_PER_PLACE,
    MIN_OPTIONS,
    _emit,
    _fail,
)


def _options(kind: str, options: list[dict[str, Any]]) -> list[Option]:
    if kind == Poll.Kind.DATES:
        if options:
            raise _fail("options", _("A date poll has days, not options."))
        return []
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise _fail(
            "options",
            _("Give %(min)s to %(max)s options.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS},
        )
    built = [_option(position, values) for position, values in enumerate(options)]
    labels = [(o.kind, o.label.casefold(), o.first_day, o.last_day) for o in built]
    if len(set(labels)) != len(labels):
        raise _fail("options", _("Two options are the same."))
    return built


def _option(position: int, values: dict[str, Any]) -> Option:
    kind = values.get("kind") or Option.Kind.TEXT
    label = (values.get("label") or "").strip()
    option = Option(position=position, kind=kind, label=label)
    if kind == Option.Kind.DATES:
        first, last = values.get("first_day"), values.get("last_day")
        if not isinstance(first, date) or not isinstance(last, date) or last < first:
            raise _fail(
                "options",
                _("Option %(number)s: first_day <= last_day, both dates.")
                % {"number": position + 1},
            )
        option.first_day, option.last_day = first, last
    elif not label:
        raise _fail("options", _("Option %(number)s needs a label.") % {"number": position + 1})
    if kind == Option.Kind.PLACE:
        for name in ("lat", "lng"):
            value = values.get(name)
            setattr(option, name, None if value is None else Decimal(str(value)))
    try:
        option.full_clean(exclude={"poll"}, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(
            _("Option %(number)s is invalid.") % {"number": position + 1},
            fields=exc.message_dict,
        ) from exc
    return option


def _date_window(first: date | None, last: date | None, length: int) -> None:
    if not isinstance(first, date) or not isinstance(last, date):
        raise _fail("first_day", _("A date poll needs first_day and last_day."))
    days = (last - first).days + 1
    if days < 1:
        raise _fail("last_day", _("last_day must not be before first_day."))
    if days > MAX_DATE_POLL_DAYS:
        raise _fail(
            "last_day", _("A date poll spans at most %(max)s days.") % {"max": MAX_DATE_POLL_DAYS}
        )
    if not 1 <= length <= days:
        raise _fail("length_days", _("length_days must fit between first_day and last_day."))


def _deadline(closes_at: datetime | None) -> None:
    if closes_at is None:
        return
    now = utc_now()
    if closes_at <= now:
        raise _fail("closes_at", _("The deadline must be in the future."))
    if closes_at > now + MAX_DEADLINE_AHEAD:
        raise _fail("closes_at", _("The deadline must be within a year."))


def _place(*, actor, group_id: int | None, plan_id: int | None) -> dict[str, Any]:
    """Check the actor may post there; the poll's group= or plan= keyword."""
    if (group_id is None) == (plan_id is None):
        raise TypeError("a poll lives in a group or in a plan")
    if group_id is not None:
        require_membership(user=actor, group_id=group_id)
        place = {"group_id": group_id}
    elif plan_id is not None:
        plan = plan_for_member(user=actor, plan_id=plan_id)
        if plan.is_closed:
            raise Conflict(plan_closed_message(plan.status), code="plan_closed")
        place = {"plan_id": plan_id}
    if Poll.objects.filter(**place).count() >= MAX_POLLS_PER_PLACE:
        raise InvalidInput(
            _("At most %(max)s polls here.") % {"max": MAX_POLLS_PER_PLACE},
            code="too_many_polls",
        )
    return place


def poll_create(
    *,
    actor: User,
    question: str,
    group_id: int | None = None,
    plan_id: int | None = None,
    kind: str = Poll.Kind.CHOICE,
    options: list[dict[str, Any]] = (),  # type: ignore[assignment]
    multiple: bool = False,
    anonymous: bool = False,
    closes_at: datetime | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    length_days: int = 1,
    client_id: str | None = None,
) -> tuple[Poll, bool]:
    """A member asks their group or plan. Idempotent by client_id: a retry returns the first
    poll with created=False and emits nothing."""
    client_id = clean_client_id(client_id)
    with transaction.atomic():
        place = _place(actor=actor, group_id=group_id, plan_id=plan_id)
        if client_id is not None:
            first = Poll.objects.filter(creator=actor, client_id=client_id).first()
            if first is not None:
                return first, False
        question = (question or "").strip()
        if not question:
            raise _fail("question", _("A poll needs a question."))
        if kind == Poll.Kind.DATES:
            _date_window(first_day, last_day, length_days)
            multiple = False
        else:
            first_day = last_day = None
            length_days = 1
        built = _options(kind, list(options))
        _deadline(closes_at)
        poll = Poll.objects.create(
            **place,
            creator=actor,
            question=question,
            kind=kind,
            multiple=multiple,
            anonymous=anonymous,
            closes_at=closes_at,
            first_day=first_day,
            last_day=last_day,
            length_days=length_days,
            client_id=client_id,
        )
        for option in built:
            option.poll = poll
        Option.objects.bulk_create(built)
        _emit(poll, "created", actor)
    return poll, True
