"""One-time WebSocket tickets: random, short-lived, single use, bound to a user.

Stored in the cache (Redis in production). Single use without a lock: of two racing consumers,
only the one whose delete actually removed the key wins.
"""

import logging
import secrets

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache, caches

from planpal.core.exceptions import DomainError
from planpal.realtime.hub import get_hub

log = logging.getLogger(__name__)

PREFIX = "ws-ticket:"


class TicketStoreUnavailable(DomainError):
    status_code = 503
    code = "realtime_unavailable"
    default_message = "Live updates are unavailable right now; retry shortly."


def ticket_issue(*, user) -> str:
    ticket = secrets.token_urlsafe(32)
    # `add`, not `set`: it reports whether the key was stored on every cache backend. The cache
    # swallows Redis errors (IGNORE_EXCEPTIONS), and a ticket that was never stored would only
    # fail later, as a 4001 close the client cannot tell from a bad ticket.
    if not cache.add(PREFIX + ticket, user.pk, timeout=settings.REALTIME["TICKET_TTL_SECONDS"]):
        raise TicketStoreUnavailable()
    return ticket


def _well_formed(ticket) -> bool:
    return isinstance(ticket, str) and 20 <= len(ticket) <= 100


def ticket_consume(ticket: str) -> int | None:
    """The user id the ticket was issued to, or None if it is unknown, expired or already used."""
    if not _well_formed(ticket):
        return None
    key = PREFIX + ticket
    user_id = cache.get(key)
    if user_id is None or not cache.delete(key):
        return None
    return int(user_id)


_backend = None


def _redis_backend():
    """A cache backend of our own (not the per-context one `cache` gives), for its key function
    and value decoding, when the cache is django-redis; else None."""
    global _backend
    if _backend is None:
        backend = caches.create_connection("default")
        client = getattr(backend, "client", None)
        _backend = backend if callable(getattr(client, "decode", None)) else False
    return _backend or None


async def ticket_consume_async(ticket: str) -> int | None:
    """`ticket_consume` for the gateway's event loop. With Redis it is one GETDEL on the hub's
    own connection: no worker thread, and no cache client per connection (Django keeps a cache
    object per async context, which a WebSocket would hold for as long as it lives)."""
    if not _well_formed(ticket):
        return None
    client = get_hub().redis
    backend = _redis_backend() if client is not None else None
    if backend is None:
        return await sync_to_async(ticket_consume, thread_sensitive=False)(ticket)
    try:
        raw = await client.getdel(backend.make_key(PREFIX + ticket))
    except Exception as exc:  # noqa: BLE001 - refused (4001): the client gets a new ticket
        log.warning("ticket check failed: %s", exc)
        return None
    return None if raw is None else int(backend.client.decode(raw))
