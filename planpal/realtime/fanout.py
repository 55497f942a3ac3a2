"""Reactions to written events: the apps above the event log (notifications, webhooks) register a
listener here in `AppConfig.ready()`, and the outbox hands every event row it writes to the
listeners that want it. Listeners get the stored row (topic, seq, id, payload), never re-read it,
and do not depend on the order in which apps are installed."""

from collections.abc import Callable
from dataclasses import dataclass

from planpal.realtime.models import Event


@dataclass(frozen=True)
class Listener:
    """`wants(name, topic)`: whether rows of this event name on this topic concern it (cheap, no
    queries). `handle(rows)`: react to the rows it wants, given in log order."""

    name: str
    wants: Callable[[str, str], bool]
    handle: Callable[[list[Event]], None]


_listeners: dict[str, Listener] = {}


def register(listener: Listener) -> None:
    _listeners[listener.name] = listener


def listeners_for(row: Event) -> list[Listener]:
    return [listener for listener in _listeners.values() if listener.wants(row.name, row.topic)]


def hand_over(row: Event) -> None:
    for listener in listeners_for(row):
        listener.handle([row])
