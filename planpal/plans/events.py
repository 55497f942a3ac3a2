"""Typed events of plans and activities; payloads carry enough for a client to apply them as-is."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from planpal.core.events import DomainEvent


class Payload(BaseModel):
    """A nested payload object: same strictness as the events that carry it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UserRef(Payload):
    id: int
    username: str
    display_name: str
    avatar_url: str

    @classmethod
    def of(cls, user) -> "UserRef":
        return cls(
            id=user.pk,
            username=user.username,
            display_name=user.display_name,
            avatar_url=user.avatar_url,
        )


def user_ref(user) -> dict[str, Any]:
    """The public summary of a user as events carry it: {id, username, display_name, avatar_url}."""
    return UserRef.of(user).model_dump()


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def _fixed(value: Decimal | None, places: int) -> Decimal | None:
    """Decimals with the column's scale, so "12.5" is sent as "12.50" exactly like the REST API."""
    return value.quantize(Decimal(1).scaleb(-places)) if value is not None else None


class PlanData(Payload):
    """A plan as plan events carry it: the REST representation minus the per-viewer fields
    (can_manage, stream) and the activities, which have their own events."""

    id: int
    title: str
    description: str
    group: int | None
    creator: UserRef
    participants: list[UserRef]
    start_at: datetime
    end_at: datetime
    timezone: str
    status: str
    status_changed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, plan) -> "PlanData":
        participants = plan.participants.order_by("id") if plan.group_id is None else []
        return cls(
            id=plan.pk,
            title=plan.title,
            description=plan.description,
            group=plan.group_id,
            creator=UserRef.of(plan.creator),
            participants=[UserRef.of(user) for user in participants],
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
    """An activity exactly as the REST API represents it."""

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
    completed_by: UserRef | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, activity) -> "ActivityData":
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
            completed_by=UserRef.of(activity.completed_by) if activity.completed_by else None,
            version=activity.version,
            created_at=_utc(activity.created_at),
            updated_at=_utc(activity.updated_at),
        )


# ---------------------------------------------------------------------------- plans


class PlanCreated(DomainEvent):
    name = "plan.created"
    plan: PlanData


class PlanUpdated(DomainEvent):
    name = "plan.updated"
    plan: PlanData


class PlanDeleted(DomainEvent):
    name = "plan.deleted"
    plan_id: int


class PlanStatusChanged(DomainEvent):
    name = "plan.status_changed"
    plan_id: int
    from_status: str = Field(alias="from")
    to: str
    reason: Literal["manual", "scheduled"]
    status_changed_at: datetime
    version: int


class PlanMemberJoined(DomainEvent):
    """Someone can now see the plan: a participant added to a personal plan, or a new member of
    the plan's group (emitted by the groups app for each of the group's plans)."""

    name = "plan.member_joined"
    plan_id: int
    user: UserRef

    @classmethod
    def of(cls, *, plan_id: int, user) -> "PlanMemberJoined":
        return cls(plan_id=plan_id, user=UserRef.of(user))


class PlanMemberLeft(DomainEvent):
    name = "plan.member_left"
    plan_id: int
    user_id: int


# ---------------------------------------------------------------------------- activities


class ActivityCreated(DomainEvent):
    name = "plan.activity_created"
    activity: ActivityData


class ActivityUpdated(DomainEvent):
    name = "plan.activity_updated"
    activity: ActivityData


class ActivityCompleted(DomainEvent):
    name = "plan.activity_completed"
    activity: ActivityData


class ActivityReopened(DomainEvent):
    name = "plan.activity_reopened"
    activity: ActivityData


class ActivityDeleted(DomainEvent):
    name = "plan.activity_deleted"
    plan_id: int
    activity_id: int


class ActivitiesReordered(DomainEvent):
    """The plan's activities in their new order. `versions` holds the new version of every
    activity (id → version) so a client's next PATCH does not hit a needless 409."""

    name = "plan.activity_reordered"
    plan_id: int
    order: list[int]
    versions: dict[int, int]
