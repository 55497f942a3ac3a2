"""Typed checklist events, `plan.checklist_*`. A shared list's events go to `plan:<id>`; a
personal list's only to its owner's `user:<id>` (nobody else may see it). Payloads carry the
list or item as REST shows it, so a client applies them without a refetch."""

from datetime import UTC, datetime
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict

from planpal.accounts.events import PublicUser
from planpal.core.events import DomainEvent


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


class ItemData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    checklist: int
    plan: int
    text: str
    position: int
    assignee: PublicUser | None
    due_at: datetime | None
    done_at: datetime | None
    done_by: PublicUser | None
    version: int
    created_at: datetime

    @classmethod
    def of(cls, item, plan_id: int) -> Self:
        return cls(
            id=item.pk,
            checklist=item.checklist_id,
            plan=plan_id,
            text=item.text,
            position=item.position,
            assignee=PublicUser.of(item.assignee) if item.assignee else None,
            due_at=_utc(item.due_at),
            done_at=_utc(item.done_at),
            done_by=PublicUser.of(item.done_by) if item.done_by else None,
            version=item.version,
            created_at=_utc(item.created_at),
        )


class ChecklistData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    plan: int
    title: str
    personal: bool
    owner: int | None
    created_by: PublicUser | None
    items: list[ItemData]
    version: int
    created_at: datetime

    @classmethod
    def of(cls, checklist, items) -> Self:
        return cls(
            id=checklist.pk,
            plan=checklist.plan_id,
            title=checklist.title,
            personal=checklist.owner_id is not None,
            owner=checklist.owner_id,
            created_by=PublicUser.of(checklist.created_by) if checklist.created_by else None,
            items=[ItemData.of(item, checklist.plan_id) for item in items],
            version=checklist.version,
            created_at=_utc(checklist.created_at),
        )


class ChecklistCreated(ChecklistData, DomainEvent):
    name: ClassVar[str] = "plan.checklist_created"


class ChecklistRenamed(DomainEvent):
    name: ClassVar[str] = "plan.checklist_renamed"
    checklist_id: int
    plan_id: int
    title: str
    version: int


class ChecklistDeleted(DomainEvent):
    name: ClassVar[str] = "plan.checklist_deleted"
    checklist_id: int
    plan_id: int


class ItemAdded(ItemData, DomainEvent):
    name: ClassVar[str] = "plan.checklist_item_added"


class ItemUpdated(ItemData, DomainEvent):
    name: ClassVar[str] = "plan.checklist_item_updated"


class ItemTicked(ItemData, DomainEvent):
    name: ClassVar[str] = "plan.checklist_item_ticked"


class ItemUnticked(ItemData, DomainEvent):
    name: ClassVar[str] = "plan.checklist_item_unticked"


class ItemDeleted(DomainEvent):
    name: ClassVar[str] = "plan.checklist_item_deleted"
    checklist_id: int
    plan_id: int
    item_id: int


class ItemsReordered(DomainEvent):
    """The list's items in their new order, with each item's new version."""

    name: ClassVar[str] = "plan.checklist_reordered"
    checklist_id: int
    plan_id: int
    order: list[int]
    versions: dict[int, int]
