"""Typed domain events: one class per event name, unknown fields rejected at construction."""

from typing import Any, ClassVar

from django.db import transaction
from pydantic import BaseModel, ConfigDict

from planpal.core.signals import domain_event

EVENT_TYPES: dict[str, type["DomainEvent"]] = {}

# Marker for events after which nobody keeps access to the topic (group or plan deleted).
EVERYONE = "*"


class DomainEvent(BaseModel):
    """Base of every event. Subclasses set `name` and declare the payload fields.

    An event that takes a user's access to its topic away (member removed, plan deleted) says so
    with `revokes`: the name of the payload field holding that user's id, or EVERYONE. The realtime
    gateway then unsubscribes those users' live connections right after delivering the event.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    name: ClassVar[str]
    revokes: ClassVar[str | None] = None

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
    """Who loses access to `topic` with this event: "" (nobody), EVERYONE, or a user id.

    Only on the topic the event is about — the one whose prefix names the event's domain
    (`plan.deleted` on plan:<id>, `group.member_removed` on group:<id>). The same event sent to a
    list or user topic, so clients there learn of it, takes nothing away."""
    event_type = EVENT_TYPES.get(name)
    field = event_type.revokes if event_type else None
    if field is None or topic.partition(":")[0] != name.partition(".")[0]:
        return ""
    if field == EVERYONE:
        return EVERYONE
    value = payload.get(field)
    return str(value) if value is not None else ""


def emit(
    event: DomainEvent, *, topic: str, actor: Any = None, client_id: str | None = None
) -> None:
    """Announce a change. Must run inside the service's transaction so that the outbox row
    commits or rolls back with the change it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"emit({event.name}) outside a transaction: the event could be lost")
    actor_id = getattr(actor, "pk", actor)
    domain_event.send(
        sender=type(event), event=event, topic=topic, actor_id=actor_id, client_id=client_id
    )


def topic_for(prefix: str, pk: int) -> str:
    return f"{prefix}:{pk}"
