"""Typed events of groups and memberships.

Topic `group:<id>` carries all of them. The affected user's `user:<id>` topic also gets
group.member_added / member_removed / member_role_changed, and every member's gets group.deleted,
so a user's other devices keep their list of groups in sync.
"""

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from planpal.accounts.events import PublicUser
from planpal.core.events import EVERYONE, DomainEvent

Role = Literal["owner", "admin", "member"]


class GroupData(BaseModel):
    """A group as events carry it: the REST representation minus the per-viewer fields
    (my_role, member_count, stream)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int
    name: str
    description: str
    owner: PublicUser
    conversation: int | None
    created_at: datetime
    updated_at: datetime


class MemberData(BaseModel):
    """A membership exactly as GET groups/{id}/members lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    user: PublicUser
    role: Role
    joined_at: datetime


class GroupUpdated(DomainEvent):
    name: ClassVar[str] = "group.updated"
    group: GroupData


class GroupDeleted(DomainEvent):
    name: ClassVar[str] = "group.deleted"
    revokes: ClassVar[str | None] = EVERYONE
    group_id: int


class GroupMemberAdded(DomainEvent):
    """`group` lets the new member's other devices add the group to their list."""

    name: ClassVar[str] = "group.member_added"
    group: GroupData
    member: MemberData


class GroupMemberRemoved(DomainEvent):
    name: ClassVar[str] = "group.member_removed"
    revokes: ClassVar[str | None] = "user_id"
    group_id: int
    user_id: int
    reason: Literal["left", "removed"]


class GroupMemberRoleChanged(DomainEvent):
    name: ClassVar[str] = "group.member_role_changed"
    group_id: int
    user_id: int
    role: Role
    previous_role: Role
