"""Human summaries of poll events for the activity feed (registered in apps.py), in the reader's
language. A vote in an anonymous poll has no actor, so its sentence names nobody."""

from typing import Any

from django.utils.translation import gettext as _

from planpal.realtime.summaries import Names

Payload = dict[str, Any]


def _about(payload: Payload, actor: int | None, names: Names) -> dict[str, str]:
    return {"actor": names.of(actor), "question": payload.get("question") or _("a poll")}


def _voted(payload: Payload, actor: int | None, names: Names) -> str:
    about = _about(payload, actor, names)
    if actor is None:
        return _("A vote on %(question)s") % about
    return _("%(actor)s voted on %(question)s") % about


def _withdrawn(payload: Payload, actor: int | None, names: Names) -> str:
    about = _about(payload, actor, names)
    if actor is None:
        return _("A vote on %(question)s was withdrawn") % about
    return _("%(actor)s withdrew their vote on %(question)s") % about


def _closed(payload: Payload, actor: int | None, names: Names) -> str:
    about = _about(payload, actor, names)
    if actor is None:
        return _("The poll %(question)s closed") % about
    return _("%(actor)s closed the poll %(question)s") % about


def _asked(payload: Payload, actor: int | None, names: Names) -> str:
    return _("%(actor)s asked %(question)s") % _about(payload, actor, names)


def _deleted(payload: Payload, actor: int | None, names: Names) -> str:
    return _("%(actor)s deleted a poll") % {"actor": names.of(actor)}


def _summaries() -> dict:
    result = {}
    for scope in ("group", "plan"):
        result.update(
            {
                f"{scope}.poll_created": _asked,
                f"{scope}.poll_voted": _voted,
                f"{scope}.poll_vote_withdrawn": _withdrawn,
                f"{scope}.poll_closed": _closed,
                f"{scope}.poll_deleted": _deleted,
            }
        )
    return result


SUMMARIES = _summaries()
