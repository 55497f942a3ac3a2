"""The one domain signal. Services send it (through `planpal.core.events.emit`) inside their
transaction; its one receiver is the realtime outbox, which writes the event row. Apps that react
to events register with the outbox's listeners (`planpal.realtime.fanout`), never here, so that
nothing depends on the order in which receivers were connected."""

from django.dispatch import Signal

# kwargs: events (list of (DomainEvent, topic) pairs, in order), actor_id (int | None),
# client_id (str | None)
domain_event = Signal()
