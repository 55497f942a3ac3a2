"""The one domain signal. Services send it (through `planpal.core.events.emit`) inside their
transaction; receivers (outbox writer, cache invalidation, notification planner) connect to it."""

from django.dispatch import Signal

# kwargs: event (DomainEvent), topic (str), actor_id (int | None), client_id (str | None)
domain_event = Signal()
