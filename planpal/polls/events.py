"""Typed poll events. A group poll's events go to `group:<id>` as `group.poll_*`, a plan poll's
to `plan:<id>` as `plan.poll_*`; both audiences already follow those topics.

Every event carries the poll's counts after the change (`results`) and the poll's `version`, so
a client applies it without a refetch and keeps the highest version. Who voted travels only in
named polls (`ballot`); for an anonymous poll `ballot` is null and the services emit the vote
events without an actor or client_id, so neither frames, the event log, the feed nor webhooks
name a voter."""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict

from planpal.accounts.events import PublicUser
from planpal.core.events import DomainEvent

Answer = Literal["yes", "maybe", "no"]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionCount(Payload):
    id: int
    votes: int


class DayCount(Payload):
    day: date
    yes: int
    maybe: int
    no: int


class RangeRank(Payload):
    first_day: date
    last_day: date
    available: int
    sure: int


class Results(Payload):
    voter_count: int
    options: list[OptionCount]
    days: list[DayCount]
    ranking: list[RangeRank]


class OptionData(Payload):
    id: int
    position: int
    kind: str
    label: str
    first_day: date | None
    last_day: date | None
    lat: Decimal | None
    lng: Decimal | None

    @classmethod
    def of(cls, option) -> Self:
        def fixed(value):
            return None if value is None else Decimal(value).quantize(Decimal("0.000001"))

        return cls(
            id=option.pk,
            position=option.position,
            kind=option.kind,
            label=option.label,
            first_day=option.first_day,
            last_day=option.last_day,
            lat=fixed(option.lat),
            lng=fixed(option.lng),
        )


class Ballot(Payload):
    """One member's vote in a named poll; empty `options` and `days` once withdrawn."""

    user: PublicUser
    options: list[int]
    days: dict[date, Answer]


class PollData(Payload):
    """The poll as the REST API shows it, minus the per-viewer fields (my_vote, ballots,
    can_close, stream)."""

    id: int
    group: int | None
    plan: int | None
    creator: PublicUser
    question: str
    kind: str
    multiple: bool
    anonymous: bool
    closes_at: datetime | None
    closed_at: datetime | None
    closed_by: PublicUser | None
    first_day: date | None
    last_day: date | None
    length_days: int
    options: list[OptionData]
    results: Results
    version: int
    created_at: datetime


class _VoteData(Payload):
    poll_id: int
    question: str
    version: int
    results: Results
    ballot: Ballot | None


class _Deleted(Payload):
    poll_id: int


# One class per (scope, action): the scope is where the poll lives (its topic's prefix).
class GroupPollCreated(PollData, DomainEvent):
    name: ClassVar[str] = "group.poll_created"


class PlanPollCreated(PollData, DomainEvent):
    name: ClassVar[str] = "plan.poll_created"


class GroupPollVoted(_VoteData, DomainEvent):
    name: ClassVar[str] = "group.poll_voted"


class PlanPollVoted(_VoteData, DomainEvent):
    name: ClassVar[str] = "plan.poll_voted"


class GroupPollVoteWithdrawn(_VoteData, DomainEvent):
    name: ClassVar[str] = "group.poll_vote_withdrawn"


class PlanPollVoteWithdrawn(_VoteData, DomainEvent):
    name: ClassVar[str] = "plan.poll_vote_withdrawn"


class GroupPollClosed(PollData, DomainEvent):
    name: ClassVar[str] = "group.poll_closed"


class PlanPollClosed(PollData, DomainEvent):
    name: ClassVar[str] = "plan.poll_closed"


class GroupPollDeleted(_Deleted, DomainEvent):
    name: ClassVar[str] = "group.poll_deleted"


class PlanPollDeleted(_Deleted, DomainEvent):
    name: ClassVar[str] = "plan.poll_deleted"


Action = Literal["created", "voted", "vote_withdrawn", "closed", "deleted"]
EVENTS: dict[tuple[str, Action], type[DomainEvent]] = {
    ("group", "created"): GroupPollCreated,
    ("plan", "created"): PlanPollCreated,
    ("group", "voted"): GroupPollVoted,
    ("plan", "voted"): PlanPollVoted,
    ("group", "vote_withdrawn"): GroupPollVoteWithdrawn,
    ("plan", "vote_withdrawn"): PlanPollVoteWithdrawn,
    ("group", "closed"): GroupPollClosed,
    ("plan", "closed"): PlanPollClosed,
    ("group", "deleted"): GroupPollDeleted,
    ("plan", "deleted"): PlanPollDeleted,
}
