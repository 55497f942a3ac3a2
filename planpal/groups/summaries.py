"""Human summaries of the groups app's events, for the activity feed (registered in apps.py)."""

from typing import Any

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]
ROLE_WORDS = {"owner": "an owner", "admin": "an admin", "member": "a member"}


def _member_added(payload: Payload, actor: int | None, names: Names) -> str:
    member = (payload.get("member") or {}).get("user") or {}
    if actor is not None and member.get("id") == actor:
        return f"{person(member)} joined the group"
    return f"{names.of(actor)} added {person(member)}"


def _member_removed(payload: Payload, actor: int | None, names: Names) -> str:
    user = names.of(payload.get("user_id"))
    if payload.get("reason") == "left":
        return f"{user} left the group"
    return f"{names.of(actor)} removed {user}"


def _role_changed(payload: Payload, actor: int | None, names: Names) -> str:
    role = payload.get("role", "")
    role = ROLE_WORDS.get(role, role)
    return f"{names.of(actor)} made {names.of(payload.get('user_id'))} {role}"


def _updated(payload: Payload, actor: int | None, names: Names) -> str:
    group = payload.get("group") or {}
    return f"{names.of(actor)} updated the group {group.get('name', '')}".strip()


SUMMARIES = {
    "group.updated": _updated,
    "group.deleted": lambda p, a, n: f"{n.of(a)} deleted the group",
    "group.member_added": _member_added,
    "group.member_removed": _member_removed,
    "group.member_role_changed": _role_changed,
}
