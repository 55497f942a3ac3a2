"""Human summaries of poll events for the activity feed (registered in apps.py). A vote in an
anonymous poll has no actor, so its sentence names nobody."""

from typing import Any

from planpal.realtime.summaries import Names

Payload = dict[str, Any]


def _question(payload: Payload) -> str:
    return payload.get("question") or "a poll"


def _voted(payload: Payload, actor: int | None, names: Names) -> str:
    if actor is None:
        return f"A vote on {_question(payload)}"
    return f"{names.of(actor)} voted on {_question(payload)}"


def _withdrawn(payload: Payload, actor: int | None, names: Names) -> str:
    if actor is None:
        return f"A vote on {_question(payload)} was withdrawn"
    return f"{names.of(actor)} withdrew their vote on {_question(payload)}"


def _closed(payload: Payload, actor: int | None, names: Names) -> str:
    if actor is None:
        return f"The poll {_question(payload)} closed"
    return f"{names.of(actor)} closed the poll {_question(payload)}"


def _summaries() -> dict:
    result = {}
    for scope in ("group", "plan"):
        result.update(
            {
                f"{scope}.poll_created": lambda p, a, n: f"{n.of(a)} asked {_question(p)}",
                f"{scope}.poll_voted": _voted,
                f"{scope}.poll_vote_withdrawn": _withdrawn,
                f"{scope}.poll_closed": _closed,
                f"{scope}.poll_deleted": lambda p, a, n: f"{n.of(a)} deleted a poll",
            }
        )
    return result


SUMMARIES = _summaries()
