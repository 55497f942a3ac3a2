"""Who is here: per-user live connections and when each last heard from its client.

In Redis (shared by web processes and Celery workers) a hash per user maps connection id → time
of the last client frame; entries of a crashed process simply age out (a user counts as active
only with a frame in the last ACTIVE_SECONDS, and idle sockets are closed after
IDLE_TIMEOUT_SECONDS anyway). In embedded mode the web process's own connections are the truth.

Online/offline changes are announced to the user's groups as ephemeral `presence.changed` frames,
debounced: going offline is announced only if no connection came back within a few seconds, and
a per-user "announced" flag (GETSET) keeps several processes from announcing the same change.
"""

import time
from collections.abc import Callable

from django.conf import settings

from planpal.realtime import bus

# user_id → topics that hear about the user's presence (registered by the groups app).
_audiences: list[Callable[[int], list[str]]] = []


def register_audience(provider: Callable[[int], list[str]]) -> None:
    _audiences.append(provider)


def audience(user_id: int) -> list[str]:
    return [topic for provider in _audiences for topic in provider(user_id)]


def _key(user_id: int) -> str:
    return f"{bus.CHANNEL_PREFIX}online:{user_id}"


def _announced_key(user_id: int) -> str:
    return f"{bus.CHANNEL_PREFIX}announced:{user_id}"


def active_window() -> float:
    return settings.REALTIME["ACTIVE_SECONDS"]


def user_is_active(user_id: int) -> bool:
    """Does the user have a connection whose client spoke recently? (Sync: for push decisions.)"""
    cutoff = time.time() - active_window()
    if settings.REDIS_URL:
        stamps = bus.redis_client().hvals(_key(user_id))
        return any(float(stamp) > cutoff for stamp in stamps)
    from planpal.realtime.hub import local_hub

    hub = local_hub()
    return hub is not None and any(
        c.user_id == user_id and c.last_active_wall > cutoff for c in list(hub.connections)
    )


class RedisPresence:
    """The async side used by the gateway (one per hub)."""

    def __init__(self, client) -> None:
        self.client = client

    async def touch(self, user_id: int, conn_id: str) -> None:
        key = _key(user_id)
        pipe = self.client.pipeline(transaction=False)
        pipe.hset(key, conn_id, time.time())
        pipe.expire(key, int(settings.REALTIME["IDLE_TIMEOUT_SECONDS"] * 2))
        await pipe.execute()

    async def forget(self, user_id: int, conn_id: str) -> None:
        await self.client.hdel(_key(user_id), conn_id)

    async def is_online(self, user_id: int) -> bool:
        cutoff = time.time() - settings.REALTIME["IDLE_TIMEOUT_SECONDS"]
        stamps = await self.client.hvals(_key(user_id))
        return any(float(stamp) > cutoff for stamp in stamps)

    async def announce(self, user_id: int, online: bool) -> bool:
        """Record the announced state; True if it changed (so this caller announces it)."""
        state = "1" if online else "0"
        previous = await self.client.getset(_announced_key(user_id), state)
        await self.client.expire(_announced_key(user_id), 86400)
        return (previous.decode() if previous else "0") != state


class LocalPresence:
    """Embedded mode: this process holds every connection."""

    def __init__(self, hub) -> None:
        self.hub = hub
        self.announced: dict[int, bool] = {}

    async def touch(self, user_id: int, conn_id: str) -> None:
        return None  # connections carry last_active_wall themselves

    async def forget(self, user_id: int, conn_id: str) -> None:
        return None

    async def is_online(self, user_id: int) -> bool:
        return any(c.user_id == user_id and not c.closing for c in self.hub.connections)

    async def announce(self, user_id: int, online: bool) -> bool:
        previous = self.announced.get(user_id, False)
        self.announced[user_id] = online
        return previous != online
