"""Typed events of plans and activities, all on the `plan:<id>` topic (plan.created also on the
group's or creator's topic, plan.member_joined also on the new participant's). Payloads carry
enough for a client to apply them as-is: plan.created|updated and the activity events carry the
serialised resource itself."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from planpal.accounts.events import PublicUser
from planpal.core.events import EVERYONE, DomainEvent


class Payload(BaseModel):
    """A nested payload object: same strictness as the events that carry it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def _fixed(value: Decimal | None, places: int) -> Decimal | None:
    """Decimals with the column's scale, so "12.5" is sent as "12.50" exactly like the REST API."""
    return value.quantize(Decimal(1).scaleb(-places)) if value is not None else None


class PlanData(Payload):
    """The payload of plan.created / plan.updated: the plan as the REST API represents it, minus
    the per-viewer fields (can_manage, activity_count, stream) and the activities, which have
    their own events. `PlanCreated.of(plan)` builds the event."""

    id: int
    title: str
    description: str
    group: int | None
    creator: PublicUser
    participants: list[PublicUser]
    start_at: datetime
    end_at: datetime
    timezone: str
    status: str
    status_changed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, plan) -> Self:
        participants = plan.participants.order_by("id") if plan.group_id is None else []
        return cls(
            id=plan.pk,
            title=plan.title,
            description=plan.description,
            group=plan.group_id,
            creator=PublicUser.of(plan.creator),
            participants=[PublicUser.of(user) for user in participants],
            start_at=_utc(plan.start_at),
            end_at=_utc(plan.end_at),
            timezone=plan.timezone,
            status=plan.status,
            status_changed_at=_utc(plan.status_changed_at),
            version=plan.version,
            created_at=_utc(plan.created_at),
            updated_at=_utc(plan.updated_at),
        )


class ActivityData(Payload):
    """The payload of the activity events: the activity exactly as the REST API represents it.
    `ActivityCreated.of(activity)` builds the event."""

    id: int
    plan: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    location_name: str
    location_address: str
    lat: Decimal | None
    lng: Decimal | None
    estimated_cost: Decimal | None
    currency: str
    notes: str
    position: int
    completed_at: datetime | None
    completed_by: PublicUser | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, activity) -> Self:
        return cls(
            id=activity.pk,
            plan=activity.plan_id,
            title=activity.title,
            kind=activity.kind,
            starts_at=_utc(activity.starts_at),
            ends_at=_utc(activity.ends_at),
            location_name=activity.location_name,
            location_address=activity.location_address,
            lat=_fixed(activity.lat, 6),
            lng=_fixed(activity.lng, 6),
            estimated_cost=_fixed(activity.estimated_cost, 2),
            currency=activity.currency,
            notes=activity.notes,
            position=activity.position,
            completed_at=_utc(activity.completed_at),
            completed_by=PublicUser.of(activity.completed_by) if activity.completed_by else None,
            version=activity.version,
            created_at=_utc(activity.created_at),
            updated_at=_utc(activity.updated_at),
        )


# ---------------------------------------------------------------------------- plans


class PlanCreated(PlanData, DomainEvent):
    name: ClassVar[str] = "plan.created"


class PlanUpdated(PlanData, DomainEvent):
    name: ClassVar[str] = "plan.updated"


class PlanDeleted(DomainEvent):
    """Also emitted for each plan of a deleted group (`plans.membership`)."""

    name: ClassVar[str] = "plan.deleted"
    revokes: ClassVar[str | None] = EVERYONE
    plan_id: int


class PlanStatusChanged(DomainEvent):
    name: ClassVar[str] = "plan.status_changed"
    plan_id: int
    from_status: str = Field(alias="from")
    to: str
    reason: Literal["manual", "scheduled", "rescheduled"]
    status_changed_at: datetime
    version: int


class PlanMemberJoined(DomainEvent):
    """Someone can now see the plan: a participant added to a personal plan, or a new member of
    the plan's group (emitted for each of the group's plans, `plans.membership`)."""

    name: ClassVar[str] = "plan.member_joined"
    plan_id: int
    user: PublicUser

    @classmethod
    def of(cls, *, plan_id: int, user) -> "PlanMemberJoined":
        return cls(plan_id=plan_id, user=PublicUser.of(user))


class PlanMemberLeft(DomainEvent):
    """Someone can no longer see the plan; their live subscriptions to it end with this event."""

    name: ClassVar[str] = "plan.member_left"
    revokes: ClassVar[str | None] = "user_id"
    plan_id: int
    user_id: int


# ---------------------------------------------------------------------------- activities


class ActivityCreated(ActivityData, DomainEvent):
    name: ClassVar[str] = "plan.activity_created"


class ActivityUpdated(ActivityData, DomainEvent):
    name: ClassVar[str] = "plan.activity_updated"


class ActivityCompleted(ActivityData, DomainEvent):
    name: ClassVar[str] = "plan.activity_completed"


class ActivityReopened(ActivityData, DomainEvent):
    name: ClassVar[str] = "plan.activity_reopened"


# The events whose payload is the whole activity.
ActivityEvent = ActivityCreated | ActivityUpdated | ActivityCompleted | ActivityReopened


class ActivityDeleted(DomainEvent):
    name: ClassVar[str] = "plan.activity_deleted"
    plan_id: int
    activity_id: int


class ActivitiesReordered(DomainEvent):
    """The plan's activities in their new order. `versions` holds the new version of every
    activity (id → version) so a client's next PATCH does not hit a needless 409."""

    name: ClassVar[str] = "plan.activity_reordered"
    plan_id: int
    order: list[int]
    versions: dict[int, int]
