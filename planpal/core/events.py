"""Typed domain events: one class per event name, unknown fields rejected at construction."""

from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import transaction
from pydantic import BaseModel, ConfigDict

from planpal.core.signals import domain_event

EVENT_TYPES: dict[str, type["DomainEvent"]] = {}

# Marker for events after which nobody keeps access to the topic (group or plan deleted).
EVERYONE = "*"
# Prefix of a revocation that ends some of a user's own connections (`connections_rule`).
CONNECTIONS = "@"


class DomainEvent(BaseModel):
    """Base of every event. Subclasses set `name` and declare the payload fields.

    An event that takes a user's access to its topic away (member removed, plan deleted) says so
    with `revokes`: the name of the payload field holding that user's id, or EVERYONE. The realtime
    gateway then unsubscribes those users' live connections right after delivering the event.

    An event on a user's own topic that ends some of that user's live connections (credentials
    revoked, a session signed out) says which with `connections_rule`; the gateway closes them
    (4001) right after delivering the event.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    name: ClassVar[str]
    revokes: ClassVar[str | None] = None

    @classmethod
    def connections_rule(cls, payload: dict[str, Any]) -> str:
        """The connections this event ends (`connections_rule(...)` below), "" for none."""
        return ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name:
            if name in EVENT_TYPES:
                raise TypeError(f"event name {name!r} is declared twice")
            EVENT_TYPES[name] = cls

    def data(self) -> dict[str, Any]:
        """The JSON payload clients receive as `data`."""
        return self.model_dump(mode="json", by_alias=True)


def revoked_by(name: str, payload: dict[str, Any], topic: str) -> str:
    """Who loses access to `topic` with this event: "" (nobody), EVERYONE, or a user id; on the
    user's own topic, which of their connections end (a `connections_rule`).

    Only on the topic the event is about — the one whose prefix names the event's domain
    (`plan.deleted` on plan:<id>, `group.member_removed` on group:<id>). The same event sent to a
    list or user topic, so clients there learn of it, takes nothing away."""
    event_type = EVENT_TYPES.get(name)
    if event_type is None or topic.partition(":")[0] != name.partition(".")[0]:
        return ""
    field = event_type.revokes
    if field is None:
        return event_type.connections_rule(payload) if topic.startswith("user:") else ""
    if field == EVERYONE:
        return EVERYONE
    value = payload.get(field)
    return str(value) if value is not None else ""


def connections_rule(*, below_version: int = 0, keep_session: str = "", session: str = "") -> str:
    """Which of a user's connections an event on their topic ends: those admitted under a token
    version below `below_version` except the browser session `keep_session` (its key changed,
    it stays signed in), and those of the browser session `session`. Travels as the bus
    header's revocation, so hubs never parse the frame (`parse_connections_rule`)."""
    return f"{CONNECTIONS}{below_version}:{keep_session}:{session}"


def parse_connections_rule(rule: str) -> tuple[int, str, str]:
    below_version, keep_session, session = rule.removeprefix(CONNECTIONS).split(":")
    return int(below_version), keep_session, session


def emit(
    event: DomainEvent, *, topic: str, actor: Any = None, client_id: str | None = None
) -> None:
    """Announce a change. Must run inside the service's transaction so that the outbox row
    commits or rolls back with the change it describes."""
    _send([(event, topic)], actor=actor, client_id=client_id)


def emit_many(events: Iterable[tuple[DomainEvent, str]], *, actor: Any = None) -> None:
    """`emit` for many (event, topic) pairs at once, written in bulk and in the given order: one
    sequence allocation for all their topics and one INSERT, however many people are told."""
    _send(list(events), actor=actor, client_id=None)


def _send(events: list[tuple[DomainEvent, str]], *, actor: Any, client_id: str | None) -> None:
    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"emit({events[0][0].name}) outside a transaction: it could be lost")
    actor_id = getattr(actor, "pk", actor)
    domain_event.send(sender=DomainEvent, events=events, actor_id=actor_id, client_id=client_id)


def topic_for(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"
