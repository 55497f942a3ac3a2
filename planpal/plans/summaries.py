"""Human summaries of the plans app's events, for the activity feed (registered in apps.py)."""

from typing import Any

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]


def _at(payload: Payload) -> str:
    place = payload.get("location_name")
    return f" at {place}" if place else ""


def _title(payload: Payload) -> str:
    return payload.get("title") or "an activity"


def _status_changed(payload: Payload, actor: int | None, names: Names) -> str:
    to, scheduled = payload.get("to"), payload.get("reason") == "scheduled"
    if to == "ongoing":
        return "The plan started" if scheduled else f"{names.of(actor)} started the plan"
    if to == "completed":
        return "The plan ended" if scheduled else f"{names.of(actor)} marked the plan complete"
    if to == "cancelled":
        return f"{names.of(actor)} cancelled the plan"
    if payload.get("reason") == "rescheduled":
        return f"{names.of(actor)} postponed the plan: it has not started yet"
    return f"The plan is now {to}"


def _completed(payload: Payload, actor: int | None, names: Names) -> str:
    who = names.of(actor) if actor is not None else person(payload.get("completed_by"))
    return f"{who} completed {_title(payload)}{_at(payload)}"


def _left(payload: Payload, actor: int | None, names: Names) -> str:
    """Someone removed by another member was not leaving of their own accord."""
    user = payload.get("user_id")
    if actor is not None and actor != user:
        return f"{names.of(actor)} removed {names.of(user)} from the plan"
    return f"{names.of(user)} left the plan"


SUMMARIES = {
    "plan.created": lambda p, a, n: f"{n.of(a)} created the plan {p.get('title', '')}".strip(),
    "plan.updated": lambda p, a, n: f"{n.of(a)} updated the plan {p.get('title', '')}".strip(),
    "plan.deleted": lambda p, a, n: f"{n.of(a)} deleted the plan",
    "plan.status_changed": _status_changed,
    "plan.member_joined": lambda p, a, n: f"{person(p.get('user'))} joined the plan",
    "plan.member_left": _left,
    "plan.activity_created": lambda p, a, n: f"{n.of(a)} added {_title(p)}{_at(p)}",
    "plan.activity_updated": lambda p, a, n: f"{n.of(a)} updated {_title(p)}",
    "plan.activity_completed": _completed,
    "plan.activity_reopened": lambda p, a, n: f"{n.of(a)} reopened {_title(p)}",
    "plan.activity_deleted": lambda p, a, n: f"{n.of(a)} removed an activity",
    "plan.activity_reordered": lambda p, a, n: f"{n.of(a)} reordered the activities",
}
