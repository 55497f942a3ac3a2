"""Notices: what a domain app wants people told outside the screen they are looking at.

A domain app knows who cares about its events; the notifications app knows how to tell them (in-app
notification, collapsing, push, preferences). So each app registers, in `AppConfig.ready()`, a
planner per event type that turns an event into notices, and the notifications app (registered as
the sink) applies them. Neither imports the other; the clock-driven senders (reminders) and
webhooks use `send` the same way.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from planpal.core.events import DomainEvent
from planpal.core.i18n import Text as Text  # re-exported: a notice's title and body


@dataclass(frozen=True)
class Notice:
    """Tell `recipients` (user ids) about something. The actor of the event is never told of
    their own action, inactive users never; mutes of `group_id` / `plan_id` and per-kind opt-outs
    apply. Unread notices with one `collapse_key` fold into one notification with a count. With
    `not_again_within` as well, a recipient who got a notification with that key (read or not)
    less than that long ago gets nothing (a request repeated to pester someone). Title and body
    are lazy texts when they hold words (`gettext_lazy`, `format_lazy`): each recipient reads
    them in their own language (docs/i18n.md)."""

    kind: str
    recipients: Iterable[int]
    title: Text
    body: Text = ""
    data: dict[str, Any] = field(default_factory=dict)
    group_id: int | None = None
    plan_id: int | None = None
    collapse_key: str = ""
    not_again_within: timedelta | None = None


@dataclass(frozen=True)
class ReadUpTo:
    """`user_id` has read the conversation of `collapse_key` up to `message_id`: its unread
    notices quoting that message or an earlier one are read."""

    user_id: int
    collapse_key: str
    message_id: int


@dataclass(frozen=True)
class Requote:
    """The message `message_id` of `collapse_key` changed (edited, deleted): unread notices
    quoting it must show `body` instead."""

    collapse_key: str
    message_id: int
    body: Text


Upkeep = Notice | ReadUpTo | Requote
Planner = Callable[[Any, str, int | None], Iterable[Upkeep]]
Sink = Callable[[list[Upkeep], int | None], int]

_planners: dict[str, list[Planner]] = {}
_sink: list[Sink] = []


def register(event_type: type[DomainEvent], planner: Planner) -> None:
    """`planner(event, topic, actor_id)` → the notices for one stored copy of the event. An
    event written to several topics is seen once per topic: plan from exactly one of them."""
    planners = _planners.setdefault(event_type.name, [])
    if planner not in planners:
        planners.append(planner)


def has_planner(event_name: str) -> bool:
    return event_name in _planners


def planned(event: DomainEvent, *, topic: str, actor_id: int | None) -> list[Upkeep]:
    return [
        notice
        for planner in _planners.get(event.name, ())
        for notice in planner(event, topic, actor_id)
    ]


def register_sink(sink: Sink) -> None:
    """The notifications app: `sink(notices, actor_id)` applies notices and returns how many
    people it notified (one sink)."""
    _sink[:] = [sink]


def send(notices: list[Upkeep], *, actor_id: int | None = None) -> int:
    """Apply notices now, in the caller's transaction; how many people were notified."""
    if not _sink:
        raise RuntimeError("no notice sink registered (is planpal.notifications installed?)")
    return _sink[0](notices, actor_id) if notices else 0
