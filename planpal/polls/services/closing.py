"""A poll closed (early, or by the deadline sweep), deleted, or its winner applied to the plan."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.exceptions import Conflict, InvalidInput
from planpal.plans import services as plans
from planpal.plans.models import Plan
from planpal.polls import selectors
from planpal.polls.models import Option, Poll
from planpal.polls.services.common import _emit, _fail, _locked, _require_closer

# ---------------------------------------------------------------------------- close, delete


def _close(poll: Poll, *, actor: User | None, at: datetime) -> None:
    poll.closed_at = at
    poll.closed_by = actor
    poll.version += 1
    poll.save(update_fields=["closed_at", "closed_by", "version"])
    _emit(poll, "closed", actor)


def poll_close(*, actor: User, poll_id: int) -> Poll:
    """Close early: no more votes or changes. Closing a closed poll is a 409."""
    with transaction.atomic():
        poll = _locked(actor=actor, poll_id=poll_id)
        _require_closer(actor, poll)
        if poll.closed_at is not None:
            raise Conflict(_("This poll is already closed."), code="poll_closed")
        _close(poll, actor=actor, at=min(utc_now(), poll.closes_at or utc_now()))
    return poll


def poll_delete(*, actor: User, poll_id: int) -> None:
    with transaction.atomic():
        poll = _locked(actor=actor, poll_id=poll_id)
        _require_closer(actor, poll)
        _emit(poll, "deleted", actor)
        poll.delete()


def polls_close_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The deadline sweep: record polls past their deadline as closed and announce it
    (poll_closed with no actor). Each poll in its own transaction, claimed under its lock."""
    now = now or utc_now()
    due = Poll.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("closes_at")
    closed = 0
    for poll_id in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            poll = Poll.objects.select_for_update().filter(pk=poll_id).first()
            if poll is None or poll.closed_at is not None or poll.closes_at is None:
                continue
            _close(poll, actor=None, at=poll.closes_at)
            closed += 1
    return closed


# ---------------------------------------------------------------------------- the winner


def _winning_days(poll: Poll, option_id: int | None) -> tuple[date, date]:
    results = selectors.results_of(poll)
    if poll.kind == Poll.Kind.DATES:
        if not results["ranking"]:
            raise Conflict(_("Nobody can go on any of these days yet."), code="no_winner")
        best = results["ranking"][0]
        return best["first_day"], best["last_day"]
    option = _winning_option(poll, results, option_id)
    if option.kind != Option.Kind.DATES:
        raise InvalidInput(_("The winner is not a date range."), code="not_dates")
    return option.day_range


def _winning_option(poll: Poll, results: dict, option_id: int | None) -> Option:
    """The option with most votes, or the one named (a tie is decided by naming one)."""
    from planpal.polls.results import leaders

    if option_id is None:
        top = leaders(results)
        if len(top) != 1:
            raise Conflict(
                _("There is no single winner; name the option to use."), code="no_winner"
            )
        option_id = top[0]
    option = Option.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise _fail("option", _("Not an option of this poll."))
    return option


def _lock_plan_first(*, actor, poll_id: int) -> Poll:
    """Apply locks the plan before the poll, like every plan write does."""
    plan_id = Poll.objects.filter(pk=poll_id).values_list("plan_id", flat=True).first()
    if plan_id is not None:
        list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))
    poll = _locked(actor=actor, poll_id=poll_id)
    if poll.plan_id is None:
        raise InvalidInput(_("Only a plan's poll can change the plan."), code="not_plan_poll")
    return poll


def poll_apply(
    *,
    actor: User,
    poll_id: int,
    to: str,
    option_id: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Poll:
    """Turn the winner into the plan's dates (`to="plan_dates"`: from the first day's start to
    the end of the last day, in the plan's zone) or into a new activity (`to="activity"`, at
    `starts_at`..`ends_at`). Closes the poll first if it is open. The plan's own rules apply
    (who may change its dates, activities inside them)."""
    with transaction.atomic():
        poll = _lock_plan_first(actor=actor, poll_id=poll_id)
        _require_closer(actor, poll)
        if poll.closed_at is None:
            _close(poll, actor=actor, at=utc_now())
        if to == "plan_dates":
            first, last = _winning_days(poll, option_id)
            plan = poll.in_plan
            plans.plan_update(
                actor=actor,
                plan_id=plan.pk,
                version=Plan.objects.get(pk=plan.pk).version,
                start_at=datetime.combine(first, time()),
                end_at=datetime.combine(last + timedelta(days=1), time()),
            )
        elif to == "activity":
            _apply_activity(poll, actor, option_id, starts_at, ends_at)
        else:
            raise _fail("to", _("plan_dates or activity."))
    return poll


def _apply_activity(poll, actor, option_id, starts_at, ends_at) -> None:
    if poll.kind == Poll.Kind.DATES:
        raise InvalidInput(_("A date poll's winner is dates, not an activity."), code="not_option")
    if starts_at is None or ends_at is None:
        raise _fail("starts_at", _("An activity needs starts_at and ends_at."))
    option = _winning_option(poll, selectors.results_of(poll), option_id)
    place: dict[str, Any] = {}
    if option.kind == Option.Kind.PLACE:
        place = {"location_name": option.label, "lat": option.lat, "lng": option.lng}
    plans.activity_create(
        actor=actor,
        plan_id=poll.plan_id,
        title=option.label or poll.question,
        starts_at=starts_at,
        ends_at=ends_at,
        **place,
    )
