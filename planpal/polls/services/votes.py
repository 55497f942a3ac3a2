"""A member's ballot set or taken back, one vote of a poll at a time."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.db import retry_transaction
from planpal.polls import selectors
from planpal.polls.events import Action
from planpal.polls.models import DayMark, Option, Poll, Vote
from planpal.polls.services.common import _emit, _fail, _locked, _require_open


def _choice_ballot(poll: Poll, option_ids: list[int] | None) -> set[int]:
    chosen = set(option_ids or [])
    if not chosen:
        raise _fail("options", _("Choose at least one option (or withdraw your vote)."))
    if len(chosen) > 1 and not poll.multiple:
        raise _fail("options", _("This poll takes one option."))
    known = set(Option.objects.filter(poll=poll).values_list("pk", flat=True))
    if not chosen <= known:
        raise _fail("options", _("Not an option of this poll."))
    return chosen


def _date_ballot(poll: Poll, days: dict[date, str] | None) -> dict[date, str]:
    if not days:
        raise _fail("days", _("Mark at least one day (or withdraw your vote)."))
    answers = set(DayMark.Answer.values)
    first, last = poll.day_range
    for day, answer in days.items():
        if not isinstance(day, date) or not first <= day <= last:
            raise _fail("days", _("%(day)s is not a day of this poll.") % {"day": day})
        if answer not in answers:
            raise _fail("days", _("%(day)s: answer yes, maybe or no.") % {"day": day})
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
