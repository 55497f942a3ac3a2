"""Membership hooks: apps whose objects belong to a group (plans, chat, webhooks) register here,
in `AppConfig.ready()`, to react when a group is created or deleted, or someone joins or leaves
it or changes role. The
hooks run inside the group write's transaction, after its own events, so what they emit commits
with the change. `groups` imports none of the apps that listen."""

from collections.abc import Callable
from typing import Any

GroupCreated = Callable[..., object]  # (*, group: Group, actor) -> None
MemberAdded = Callable[..., object]  # (*, group_id: int, user: User, actor) -> None
MemberRemoved = Callable[..., object]  # (*, group_id: int, user_id: int, actor) -> None
GroupDeleted = Callable[..., object]  # (*, group_id: int, actor) -> None
RoleChanged = Callable[..., object]  # (*, group_id: int, user_id: int, role: str, actor) -> None

_hooks: dict[str, list[Callable[..., object]]] = {
    "group_created": [],
    "member_added": [],
    "member_removed": [],
    "group_deleted": [],
    "member_role_changed": [],
}


def on_group_created(hook: GroupCreated) -> None:
    _add("group_created", hook)


def on_member_added(hook: MemberAdded) -> None:
    _add("member_added", hook)


def on_member_removed(hook: MemberRemoved) -> None:
    _add("member_removed", hook)


def on_group_deleted(hook: GroupDeleted) -> None:
    _add("group_deleted", hook)


def on_member_role_changed(hook: RoleChanged) -> None:
    _add("member_role_changed", hook)


def run(what: str, **kwargs: Any) -> None:
    """Called by groups' services: `what` is group_created, member_added, member_removed,
    member_role_changed or group_deleted."""
    for hook in _hooks[what]:
        hook(**kwargs)


def _add(what: str, hook: Callable[..., object]) -> None:
    if hook not in _hooks[what]:
        _hooks[what].append(hook)
