"""Every Redis client of a process is made here: from REDIS_URL, or, with REDIS_SENTINELS, for
the primary that the Sentinels name (REDIS_SENTINEL_MASTER). A Sentinel-managed client looks the
primary up on each new connection, so after a failover the reconnects that the callers already
do (the hub's transport loop, the publisher's sweeper, health checks) reach the promoted
replica; a connection still open to a demoted primary fails instead of writing to a replica."""

from typing import Any
from urllib.parse import unquote, urlsplit

import redis
import redis.asyncio
from django.conf import settings

# Sentinels answer "where is the primary" from memory: a short timeout moves on to the next.
SENTINEL_TIMEOUT_SECONDS = 0.5


def _database_options() -> dict[str, Any]:
    """REDIS_URL's database number and credentials (its host is the Sentinels' business)."""
    url = urlsplit(settings.REDIS_URL)
    options: dict[str, Any] = {"db": int(url.path.strip("/") or 0)}
    if url.password:
        options["password"] = unquote(url.password)
    if url.username:
        options["username"] = unquote(url.username)
    return options


def _sentinel_kwargs() -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "socket_timeout": SENTINEL_TIMEOUT_SECONDS,
        "socket_connect_timeout": SENTINEL_TIMEOUT_SECONDS,
    }
    if settings.REDIS_SENTINEL_PASSWORD:
        kwargs["password"] = settings.REDIS_SENTINEL_PASSWORD
    return kwargs


def client(**options: Any) -> redis.Redis:
    """A client for commands (options: socket timeouts and the like, as for redis.Redis)."""
    if not settings.REDIS_SENTINELS:
        return redis.Redis.from_url(settings.REDIS_URL, **options)
    from redis.sentinel import Sentinel

    sentinel = Sentinel(settings.REDIS_SENTINELS, sentinel_kwargs=_sentinel_kwargs())
    primary: redis.Redis = sentinel.master_for(
        settings.REDIS_SENTINEL_MASTER, **_database_options(), **options
    )
    return primary


def async_client(**options: Any) -> redis.asyncio.Redis:
    """The same for asyncio code (the realtime gateway)."""
    if not settings.REDIS_SENTINELS:
        direct: redis.asyncio.Redis = redis.asyncio.Redis.from_url(settings.REDIS_URL, **options)
        return direct
    from redis.asyncio.sentinel import Sentinel

    sentinel = Sentinel(settings.REDIS_SENTINELS, sentinel_kwargs=_sentinel_kwargs())
    primary: redis.asyncio.Redis = sentinel.master_for(
        settings.REDIS_SENTINEL_MASTER, **_database_options(), **options
    )
    return primary
