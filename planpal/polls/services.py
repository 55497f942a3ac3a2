"""Every write to polls: create, vote, withdraw, close, delete, and turning a winner into the
plan's dates or a new activity.

Each runs in one transaction that locks the poll's row first (SELECT ... FOR UPDATE), so the
votes of one poll are applied one at a time: the counts an event carries are exactly the counts
after that vote, and events of one poll are in the same order as the votes (the topic's seq
is taken later in the same transaction). Lock order everywhere: plan row (apply only), poll row,
vote rows, then the topic's sequence. A deadlock victim (a vote racing the deletion of its
group or plan) is run again by `retry_transaction`.

Anonymous polls: vote events are emitted with no actor and no client_id, and carry no ballot.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now as utc_now

from planpal.accounts.models import User
from planpal.core.db import retry_transaction
from planpal.core.events import emit
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from planpal.core.validation import clean_client_id
from planpal.groups.selectors import require_membership
from planpal.plans import services as plans
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_for_member
from planpal.polls import selectors
from planpal.polls.events import EVENTS, Action
from planpal.polls.models import DayMark, Option, Poll, Vote

MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_DATE_POLL_DAYS = 92  # a season: more is not one decision
MAX_DEADLINE_AHEAD = timedelta(days=366)
MAX_POLLS_PER_PLACE = 500  # polls in one group or plan


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput("Some fields are invalid.", fields={field: [message]})


def _emit(poll: Poll, action: Action, actor, *, results=None, ballot=None) -> None:
    """The poll's event on its own topic. Votes of anonymous polls name nobody."""
    event_class = EVENTS[(selectors.scope_of(poll), action)]
    if action in ("created", "closed"):
        event = event_class(**selectors.poll_data(poll, results).model_dump())
    elif action == "deleted":
        event = event_class(poll_id=poll.pk)
    else:
        event = event_class(
            poll_id=poll.pk,
            question=poll.question,
            version=poll.version,
            results=results,
            ballot=ballot,
        )
    secret = poll.anonymous and action in ("voted", "vote_withdrawn")
    emit(event, topic=selectors.topic_of(poll), actor=None if secret else actor)


def _locked(*, actor, poll_id: int) -> Poll:
    """The poll, locked for the rest of the transaction; NotFound unless the actor may see it."""
    poll = Poll.objects.select_for_update().filter(pk=poll_id).first()
    if poll is None or not selectors.may_see(user=actor, poll=poll):
        raise NotFound("Poll not found.")
    return poll


def _require_open(poll: Poll) -> None:
    if selectors.is_closed(poll):
        raise Conflict("This poll is closed.", code="poll_closed")
    if poll.plan_id is not None and poll.plan.is_closed:
        raise Conflict(f"This plan is {poll.plan.status}.", code="plan_closed")


def _require_closer(actor, poll: Poll) -> None:
    if not selectors.can_close(user=actor, poll=poll):
        raise Forbidden("Only the poll's creator or the group's owners and admins can do this.")


# ---------------------------------------------------------------------------- create


def _options(kind: str, options: list[dict[str, Any]]) -> list[Option]:
    if kind == Poll.Kind.DATES:
        if options:
            raise _fail("options", "A date poll has days, not options.")
        return []
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise _fail("options", f"Give {MIN_OPTIONS} to {MAX_OPTIONS} options.")
    built = [_option(position, values) for position, values in enumerate(options)]
    labels = [(o.kind, o.label.casefold(), o.first_day, o.last_day) for o in built]
    if len(set(labels)) != len(labels):
        raise _fail("options", "Two options are the same.")
    return built


def _option(position: int, values: dict[str, Any]) -> Option:
    kind = values.get("kind") or Option.Kind.TEXT
    label = (values.get("label") or "").strip()
    option = Option(position=position, kind=kind, label=label)
    if kind == Option.Kind.DATES:
        first, last = values.get("first_day"), values.get("last_day")
        if not isinstance(first, date) or not isinstance(last, date) or last < first:
            raise _fail("options", f"Option {position + 1}: first_day <= last_day, both dates.")
        option.first_day, option.last_day = first, last
    elif not label:
        raise _fail("options", f"Option {position + 1} needs a label.")
    if kind == Option.Kind.PLACE:
        for name in ("lat", "lng"):
            value = values.get(name)
            setattr(option, name, None if value is None else Decimal(str(value)))
    try:
        option.full_clean(exclude={"poll"}, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(f"Option {position + 1} is invalid.", fields=exc.message_dict) from exc
    return option


def _date_window(first: date | None, last: date | None, length: int) -> None:
    if not isinstance(first, date) or not isinstance(last, date):
        raise _fail("first_day", "A date poll needs first_day and last_day.")
    days = (last - first).days + 1
    if days < 1:
        raise _fail("last_day", "last_day must not be before first_day.")
    if days > MAX_DATE_POLL_DAYS:
        raise _fail("last_day", f"A date poll spans at most {MAX_DATE_POLL_DAYS} days.")
    if not 1 <= length <= days:
        raise _fail("length_days", "length_days must fit between first_day and last_day.")


def _deadline(closes_at: datetime | None) -> None:
    if closes_at is None:
        return
    now = utc_now()
    if closes_at <= now:
        raise _fail("closes_at", "The deadline must be in the future.")
    if closes_at > now + MAX_DEADLINE_AHEAD:
        raise _fail("closes_at", "The deadline must be within a year.")


def _place(*, actor, group_id: int | None, plan_id: int | None) -> dict[str, Any]:
    """Check the actor may post there; the poll's group= or plan= keyword."""
    if (group_id is None) == (plan_id is None):
        raise TypeError("a poll lives in a group or in a plan")
    if group_id is not None:
        require_membership(user=actor, group_id=group_id)
        place = {"group_id": group_id}
    else:
        plan = plan_for_member(user=actor, plan_id=plan_id)
        if plan.is_closed:
            raise Conflict(f"This plan is {plan.status}.", code="plan_closed")
        place = {"plan_id": plan_id}
    if Poll.objects.filter(**place).count() >= MAX_POLLS_PER_PLACE:
        raise InvalidInput(f"At most {MAX_POLLS_PER_PLACE} polls here.", code="too_many_polls")
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
            raise _fail("question", "A poll needs a question.")
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


# ---------------------------------------------------------------------------- votes


def _choice_ballot(poll: Poll, option_ids: list[int] | None) -> set[int]:
    chosen = set(option_ids or [])
    if not chosen:
        raise _fail("options", "Choose at least one option (or withdraw your vote).")
    if len(chosen) > 1 and not poll.multiple:
        raise _fail("options", "This poll takes one option.")
    known = set(Option.objects.filter(poll=poll).values_list("pk", flat=True))
    if not chosen <= known:
        raise _fail("options", "Not an option of this poll.")
    return chosen


def _date_ballot(poll: Poll, days: dict[date, str] | None) -> dict[date, str]:
    if not days:
        raise _fail("days", "Mark at least one day (or withdraw your vote).")
    answers = set(DayMark.Answer.values)
    for day, answer in days.items():
        if not isinstance(day, date) or not poll.first_day <= day <= poll.last_day:
            raise _fail("days", f"{day} is not a day of this poll.")
        if answer not in answers:
            raise _fail("days", f"{day}: answer yes, maybe or no.")
    return dict(days)


def _store(poll: Poll, voter: User, options: set[int], days: dict[date, str]) -> bool:
    """Replace the voter's ballot; False when it already was exactly this."""
    mine = selectors.vote_of(poll=poll, user_id=voter.pk)
    if set(mine["options"]) == options and mine["days"] == days:
        return False
    Vote.objects.filter(poll=poll, voter=voter).exclude(option_id__in=options).delete()
    have = set(mine["options"])
    Vote.objects.bulk_create(
        [Vote(poll=poll, voter=voter, option_id=pk) for pk in sorted(options - have)]
    )
    DayMark.objects.filter(poll=poll, voter=voter).delete()
    DayMark.objects.bulk_create(
        [DayMark(poll=poll, voter=voter, day=d, answer=a) for d, a in sorted(days.items())]
    )
    return True


def _record(poll: Poll, actor: User, action: Action) -> None:
    poll.version += 1
    Poll.objects.filter(pk=poll.pk).update(version=poll.version)
    results = selectors.results_of(poll)
    _emit(poll, action, actor, results=results, ballot=selectors.ballot_of(poll=poll, user=actor))


def poll_vote(
    *,
    actor: User,
    poll_id: int,
    options: list[int] | None = None,
    days: dict[date, str] | None = None,
) -> Poll:
    """Set the actor's ballot: option ids (choice polls) or day → yes/maybe/no (date polls;
    days left out are unmarked). Idempotent: the same ballot again changes and emits nothing."""

    def vote() -> Poll:
        with transaction.atomic():
            poll = _locked(actor=actor, poll_id=poll_id)
            _require_open(poll)
            if poll.kind == Poll.Kind.DATES:
                chosen, marks = set(), _date_ballot(poll, days)
            else:
                chosen, marks = _choice_ballot(poll, options), {}
            if _store(poll, actor, chosen, marks):
                _record(poll, actor, "voted")
            return poll

    return retry_transaction(vote)


def poll_vote_withdraw(*, actor: User, poll_id: int) -> Poll:
    """Take the actor's vote back; nothing happens (no event) when there was none."""

    def withdraw() -> Poll:
        with transaction.atomic():
            poll = _locked(actor=actor, poll_id=poll_id)
            _require_open(poll)
            if _store(poll, actor, set(), {}):
                _record(poll, actor, "vote_withdrawn")
            return poll

    return retry_transaction(withdraw)


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
            raise Conflict("This poll is already closed.", code="poll_closed")
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
            if poll is None or poll.closed_at is not None:
                continue
            _close(poll, actor=None, at=poll.closes_at)
            closed += 1
    return closed


# ---------------------------------------------------------------------------- the winner


def _winning_days(poll: Poll, option_id: int | None) -> tuple[date, date]:
    results = selectors.results_of(poll)
    if poll.kind == Poll.Kind.DATES:
        if not results["ranking"]:
            raise Conflict("Nobody can go on any of these days yet.", code="no_winner")
        best = results["ranking"][0]
        return best["first_day"], best["last_day"]
    option = _winning_option(poll, results, option_id)
    if option.kind != Option.Kind.DATES:
        raise InvalidInput("The winner is not a date range.", code="not_dates")
    return option.first_day, option.last_day


def _winning_option(poll: Poll, results: dict, option_id: int | None) -> Option:
    """The option with most votes, or the one named (a tie is decided by naming one)."""
    from planpal.polls.results import leaders

    if option_id is None:
        top = leaders(results)
        if len(top) != 1:
            raise Conflict("There is no single winner; name the option to use.", code="no_winner")
        option_id = top[0]
    option = Option.objects.filter(poll=poll, pk=option_id).first()
    if option is None:
        raise _fail("option", "Not an option of this poll.")
    return option


def _lock_plan_first(*, actor, poll_id: int) -> Poll:
    """Apply locks the plan before the poll, like every plan write does."""
    plan_id = Poll.objects.filter(pk=poll_id).values_list("plan_id", flat=True).first()
    if plan_id is not None:
        list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))
    poll = _locked(actor=actor, poll_id=poll_id)
    if poll.plan_id is None:
        raise InvalidInput("Only a plan's poll can change the plan.", code="not_plan_poll")
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
            plan = poll.plan
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
            raise _fail("to", "plan_dates or activity.")
    return poll


def _apply_activity(poll, actor, option_id, starts_at, ends_at) -> None:
    if poll.kind == Poll.Kind.DATES:
        raise InvalidInput("A date poll's winner is dates, not an activity.", code="not_option")
    if starts_at is None or ends_at is None:
        raise _fail("starts_at", "An activity needs starts_at and ends_at.")
    option = _winning_option(poll, selectors.results_of(poll), option_id)
    place = {}
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
