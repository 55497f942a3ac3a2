"""One-time WebSocket tickets: random, short-lived, single use, bound to a user.

Stored in the cache (Redis in production). Single use without a lock: of two racing consumers,
only the one whose delete actually removed the key wins.
"""

import logging
import secrets
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache, caches
from django.utils.translation import gettext_lazy

from planpal.core.authentication import Account
from planpal.core.exceptions import DomainError
from planpal.realtime.credentials import Credential
from planpal.realtime.hub import get_hub

log = logging.getLogger(__name__)

PREFIX = "ws-ticket:"


class TicketStoreUnavailable(DomainError):
    status_code = 503
    code = "realtime_unavailable"
    default_message = gettext_lazy("Live updates are unavailable right now; retry shortly.")


def ticket_issue(*, user: Account, session: str = "") -> str:
    """A ticket for `user`, bound to their current token version and to the browser session
    that asked for it ("" for a token client), so that revoking either ends its connection."""
    ticket = secrets.token_urlsafe(32)
    value = f"{user.pk}:{user.token_version}:{session}"
    # `add`, not `set`: it reports whether the key was stored on every cache backend. The cache
    # swallows Redis errors (IGNORE_EXCEPTIONS), and a ticket that was never stored would only
    # fail later, as a 4001 close the client cannot tell from a bad ticket.
    if not cache.add(PREFIX + ticket, value, timeout=settings.REALTIME["TICKET_TTL_SECONDS"]):
        raise TicketStoreUnavailable()
    return ticket


def _well_formed(ticket: object) -> bool:
    return isinstance(ticket, str) and 20 <= len(ticket) <= 100


def _credential(value: object) -> Credential:
    user_id, _, rest = str(value).partition(":")
    version, _, session = rest.partition(":")
    return Credential(int(user_id), int(version or 0), session)


def ticket_consume(ticket: str) -> Credential | None:
    """What the ticket was issued to, or None if it is unknown, expired or already used."""
    if not _well_formed(ticket):
        return None
    key = PREFIX + ticket
    value = cache.get(key)
    if value is None or not cache.delete(key):
        return None
    return _credential(value)


# The django-redis cache backend (untyped), False when the cache is another kind.
_backend: Any = None


def _redis_backend() -> Any:
    """A cache backend of our own (not the per-context one `cache` gives), for its key function
    and value decoding, when the cache is django-redis; else None."""
    global _backend
    if _backend is None:
        backend = caches.create_connection("default")
        client = getattr(backend, "client", None)
        _backend = backend if callable(getattr(client, "decode", None)) else False
    return _backend or None


async def ticket_consume_async(ticket: str) -> Credential | None:
    """`ticket_consume` for the gateway's event loop. With Redis it is one GETDEL in the hub's
    command batch (batch.py, shared with the connects around it): no worker thread, and no cache
    client per connection (Django keeps a cache object per async context, which a WebSocket
    would hold for as long as it lives)."""
    if not _well_formed(ticket):
        return None
    batch = get_hub().batch
    backend = _redis_backend() if batch is not None else None
    if batch is None or backend is None:
        return await sync_to_async(ticket_consume, thread_sensitive=False)(ticket)
    key = backend.make_key(PREFIX + ticket)
    try:
        (raw,) = await batch.send(lambda pipe: pipe.getdel(key))
    except Exception as exc:  # noqa: BLE001 - refused (4001): the client gets a new ticket
        log.warning("ticket check failed: %s", exc)
        return None
    return None if raw is None else _credential(backend.client.decode(raw))
