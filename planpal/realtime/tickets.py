"""One-time WebSocket tickets: random, short-lived, single use, bound to a user.

Stored in the cache (Redis in production). Single use without a lock: of two racing consumers,
only the one whose delete actually removed the key wins.
"""

import secrets

from django.conf import settings
from django.core.cache import cache

PREFIX = "ws-ticket:"


def ticket_issue(*, user) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(PREFIX + ticket, user.pk, timeout=settings.REALTIME["TICKET_TTL_SECONDS"])
    return ticket


def ticket_consume(ticket: str) -> int | None:
    """The user id the ticket was issued to, or None if it is unknown, expired or already used."""
    if not isinstance(ticket, str) or not 20 <= len(ticket) <= 100:
        return None
    key = PREFIX + ticket
    user_id = cache.get(key)
    if user_id is None or not cache.delete(key):
        return None
    return int(user_id)
