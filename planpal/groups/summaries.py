"""Human summaries of the groups app's events, for the activity feed (registered in apps.py), in
the reader's language."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planpal.realtime.summaries import Names, person

Payload = dict[str, Any]

ROLE_SENTENCES = {
    "owner": gettext_lazy("%(actor)s made %(user)s an owner"),
    "admin": gettext_lazy("%(actor)s made %(user)s an admin"),
    "member": gettext_lazy("%(actor)s made %(user)s a member"),
}


def _member_added(payload: Payload, actor: int | None, names: Names) -> str:
    member = (payload.get("member") or {}).get("user") or {}
    if actor is not None and member.get("id") == actor:
        return _("%(user)s joined the group") % {"user": person(member)}
    return _("%(actor)s added %(user)s") % {"actor": names.of(actor), "user": person(member)}


def _member_removed(payload: Payload, actor: int | None, names: Names) -> str:
    user = names.of(payload.get("user_id"))
    if payload.get("reason") == "left":
        return _("%(user)s left the group") % {"user": user}
    return _("%(actor)s removed %(user)s") % {"actor": names.of(actor), "user": user}


def _role_changed(payload: Payload, actor: int | None, names: Names) -> str:
    people = {"actor": names.of(actor), "user": names.of(payload.get("user_id"))}
    sentence = ROLE_SENTENCES.get(payload.get("role", ""))
    if sentence is None:
        return _("%(actor)s changed the role of %(user)s") % people
    return str(sentence) % people


def _updated(payload: Payload, actor: int | None, names: Names) -> str:
    name = (payload.get("group") or {}).get("name", "")
    if not name:
        return _("%(actor)s updated the group") % {"actor": names.of(actor)}
    return _("%(actor)s updated the group %(name)s") % {"actor": names.of(actor), "name": name}


SUMMARIES = {
    "group.updated": _updated,
    "group.deleted": lambda p, a, n: _("%(actor)s deleted the group") % {"actor": n.of(a)},
    "group.member_added": _member_added,
    "group.member_removed": _member_removed,
    "group.member_role_changed": _role_changed,
}
