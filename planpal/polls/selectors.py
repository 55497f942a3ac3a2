"""Reads of polls with their permission logic: a poll is seen by whoever may see the group or
plan it lives in; anyone else gets NotFound. Also the poll's payload as events and REST show it."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.events import PublicUser
from planpal.core.events import topic_for
from planpal.core.exceptions import NotFound
from planpal.groups.selectors import get_membership, is_member, require_membership
from planpal.plans.selectors import can_manage_plan, is_plan_member, plan_for_member
from planpal.polls import results as counting
from planpal.polls.events import Ballot, OptionData, PollData, Results
from planpal.polls.models import DayMark, Option, Poll, Vote


def scope_of(poll: Poll) -> str:
    """ "group" or "plan": where the poll lives, its topic's prefix and its events' prefix."""
    return "group" if poll.group_id is not None else "plan"


def topic_of(poll: Poll) -> str:
    return topic_for(scope_of(poll), poll.place_pk)


def may_see(*, user, poll: Poll) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if poll.group_id is not None:
        return is_member(user_id=user.pk, group_id=poll.group_id)
    return is_plan_member(user=user, plan=poll.in_plan)


def can_close(*, user, poll: Poll) -> bool:
    """Close, delete or apply: the poll's creator, or whoever manages its group or plan
    (the group's owners and admins; for a plan also the plan's creator)."""
    if poll.creator_id == user.pk:
        return True
    if poll.group_id is not None:
        membership = get_membership(user=user, group_id=poll.group_id)
        return membership is not None and membership.is_manager
    return can_manage_plan(user, poll.in_plan)


def is_closed(poll: Poll, at: datetime | None = None) -> bool:
    """Closed by someone, or past its deadline (the sweep records that soon after)."""
    at = at or utc_now()
    return poll.closed_at is not None or (poll.closes_at is not None and poll.closes_at <= at)


def poll_rows() -> QuerySet[Poll]:
    return Poll.objects.select_related("creator", "closed_by", "plan")


def poll_for_member(*, user, poll_id: int) -> Poll:
    poll = poll_rows().filter(pk=poll_id).first()
    if poll is None or not may_see(user=user, poll=poll):
        raise NotFound(_("Poll not found."))
    return poll


def polls_of_group(*, user, group_id: int) -> list[Poll]:
    require_membership(user=user, group_id=group_id)
    return list(poll_rows().filter(group_id=group_id).order_by("-created_at", "-id"))


def polls_of_plan(*, user, plan_id: int) -> list[Poll]:
    plan_for_member(user=user, plan_id=plan_id)
    return list(poll_rows().filter(plan_id=plan_id).order_by("-created_at", "-id"))


# ---------------------------------------------------------------------------- counts and ballots


def results_of(poll: Poll) -> dict[str, Any]:
    if poll.kind == Poll.Kind.DATES:
        marks = DayMark.objects.filter(poll=poll).values_list("voter_id", "day", "answer")
        return counting.date_results(*poll.day_range, poll.length_days, list(marks))
    option_ids = list(Option.objects.filter(poll=poll).values_list("pk", flat=True))
    votes = Vote.objects.filter(poll=poll).values_list("option_id", "voter_id")
    return counting.choice_results(option_ids, list(votes))


def vote_of(*, poll: Poll, user_id: int) -> dict[str, Any]:
    """One member's ballot: {"options": [ids], "days": {day: answer}} (empty when none)."""
    options = Vote.objects.filter(poll=poll, voter_id=user_id).order_by("option__position")
    marks = DayMark.objects.filter(poll=poll, voter_id=user_id).order_by("day")
    return {
        "options": list(options.values_list("option_id", flat=True)),
        "days": {day: answer for day, answer in marks.values_list("day", "answer")},
    }


def ballot_of(*, poll: Poll, user) -> Ballot | None:
    """What an event may say about this member's vote: nothing in an anonymous poll."""
    if poll.anonymous:
        return None
    return Ballot(user=PublicUser.of(user), **vote_of(poll=poll, user_id=user.pk))


def ballots_of(poll: Poll) -> list[dict[str, Any]]:
    """Everyone's ballot in a named poll, by user id; [] for an anonymous poll."""
    if poll.anonymous:
        return []
    voters: dict[int, dict[str, Any]] = {}
    for vote in Vote.objects.filter(poll=poll).select_related("voter").order_by("voter_id", "id"):
        entry = voters.setdefault(vote.voter_id, {"user": vote.voter, "options": [], "days": {}})
        entry["options"].append(vote.option_id)
    marks = DayMark.objects.filter(poll=poll).select_related("voter").order_by("voter_id", "day")
    for mark in marks:
        entry = voters.setdefault(mark.voter_id, {"user": mark.voter, "options": [], "days": {}})
        entry["days"][mark.day] = mark.answer
    return [
        Ballot(user=PublicUser.of(entry.pop("user")), **entry).model_dump(mode="json")
        for _, entry in sorted(voters.items())
    ]


def poll_data(poll: Poll, results: dict[str, Any] | None = None) -> PollData:
    """The shared part of the poll: the payload of poll_created / poll_closed and of REST."""
    return PollData(
        id=poll.pk,
        group=poll.group_id,
        plan=poll.plan_id,
        creator=PublicUser.of(poll.creator),
        question=poll.question,
        kind=poll.kind,
        multiple=poll.multiple,
        anonymous=poll.anonymous,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        closed_by=PublicUser.of(poll.closed_by) if poll.closed_by else None,
        first_day=poll.first_day,
        last_day=poll.last_day,
        length_days=poll.length_days,
        options=[OptionData.of(option) for option in poll.options.all()],
        results=Results(**(results if results is not None else results_of(poll))),
        version=poll.version,
        created_at=poll.created_at,
    )


def poll_for_viewer(poll: Poll, *, user) -> dict[str, Any]:
    """The poll as REST returns it: the shared payload plus what depends on the viewer."""
    return {
        **poll_data(poll).model_dump(mode="json"),
        "closed": is_closed(poll),
        "can_close": can_close(user=user, poll=poll),
        "my_vote": _json(vote_of(poll=poll, user_id=user.pk)),
        "ballots": ballots_of(poll),
    }


def _json(vote: dict[str, Any]) -> dict[str, Any]:
    return {"options": vote["options"], "days": {d.isoformat(): a for d, a in vote["days"].items()}}


def visible_ballots(poll: Poll, user) -> list[dict[str, Any]]:
    """GET /polls/{id}/votes: everyone's ballot in a named poll; in an anonymous one only the
    viewer's own (if they voted)."""
    if not poll.anonymous:
        return ballots_of(poll)
    mine = vote_of(poll=poll, user_id=user.pk)
    if not mine["options"] and not mine["days"]:
        return []
    return [Ballot(user=PublicUser.of(user), **mine).model_dump(mode="json")]
