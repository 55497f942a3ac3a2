"""Human summaries of the plans app's events, for the activity feed (registered in apps.py), in
the reader's language."""

from typing import Any

from django.utils.translation import gettext as _

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]


def _title(payload: Payload) -> str:
    return payload.get("title") or _("an activity")


def _status_changed(payload: Payload, actor: int | None, names: Names) -> str:
    to, scheduled = payload.get("to"), payload.get("reason") == "scheduled"
    who = {"actor": names.of(actor)}
    if to == "ongoing":
        return _("The plan started") if scheduled else _("%(actor)s started the plan") % who
    if to == "completed":
        return _("The plan ended") if scheduled else _("%(actor)s marked the plan complete") % who
    if to == "cancelled":
        return _("%(actor)s cancelled the plan") % who
    if payload.get("reason") == "rescheduled":
        return _("%(actor)s postponed the plan: it has not started yet") % who
    return _("The plan is now %(status)s") % {"status": to}


def _completed(payload: Payload, actor: int | None, names: Names) -> str:
    who = names.of(actor) if actor is not None else person(payload.get("completed_by"))
    return _activity(_("%(actor)s completed %(activity)s"), who, payload)


def _activity(sentence: str, who: str, payload: Payload) -> str:
    """`sentence` about an activity, with its place when it has one."""
    text = sentence % {"actor": who, "activity": _title(payload)}
    place = payload.get("location_name")
    return _("%(done)s at %(place)s") % {"done": text, "place": place} if place else text


def _left(payload: Payload, actor: int | None, names: Names) -> str:
    """Someone removed by another member was not leaving of their own accord."""
    user = payload.get("user_id")
    if actor is not None and actor != user:
        return _("%(actor)s removed %(user)s from the plan") % {
            "actor": names.of(actor),
            "user": names.of(user),
        }
    return _("%(user)s left the plan") % {"user": names.of(user)}


def _with_title(sentence: str, untitled: str, actor: str, payload: Payload) -> str:
    title = payload.get("title", "")
    return sentence % {"actor": actor, "title": title} if title else untitled % {"actor": actor}


SUMMARIES = {
    "plan.created": lambda p, a, n: _with_title(
        _("%(actor)s created the plan %(title)s"), _("%(actor)s created the plan"), n.of(a), p
    ),
    "plan.updated": lambda p, a, n: _with_title(
        _("%(actor)s updated the plan %(title)s"), _("%(actor)s updated the plan"), n.of(a), p
    ),
    "plan.deleted": lambda p, a, n: _("%(actor)s deleted the plan") % {"actor": n.of(a)},
    "plan.status_changed": _status_changed,
    "plan.member_joined": lambda p, a, n: (
        _("%(user)s joined the plan") % {"user": person(p.get("user"))}
    ),
    "plan.member_left": _left,
    "plan.activity_created": lambda p, a, n: _activity(
        _("%(actor)s added %(activity)s"), n.of(a), p
    ),
    "plan.activity_updated": lambda p, a, n: (
        _("%(actor)s updated %(activity)s") % {"actor": n.of(a), "activity": _title(p)}
    ),
    "plan.activity_completed": _completed,
    "plan.activity_reopened": lambda p, a, n: (
        _("%(actor)s reopened %(activity)s") % {"actor": n.of(a), "activity": _title(p)}
    ),
    "plan.activity_deleted": lambda p, a, n: (
        _("%(actor)s removed an activity") % {"actor": n.of(a)}
    ),
    "plan.activity_reordered": lambda p, a, n: (
        _("%(actor)s reordered the activities") % {"actor": n.of(a)}
    ),
}
