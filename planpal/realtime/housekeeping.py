"""The gateway's housekeeping, every second in each web process: connection heartbeats and idle
timeouts, connection metrics, the outbox sweeper (one process per interval with Redis, by a
lock: events never published, and events whose after-commit fan-out never ran) and the presence
refresh."""

import asyncio
import logging
import time
from collections.abc import Collection, Mapping
from typing import Protocol

from django.conf import settings
from redis.asyncio import Redis

from planpal.core import metrics
from planpal.core.db import in_thread_pool
from planpal.realtime import bus, fanout
from planpal.realtime.connections import Connection, Topic
from planpal.realtime.presence import REFRESH_SECONDS, Presence
from planpal.realtime.publisher import republish_unpublished

log = logging.getLogger(__name__)

SWEEP_LOCK = bus.CHANNEL_PREFIX + "sweeper"


class Kept(Protocol):
    """What housekeeping looks after: the process's hub."""

    presence: Presence
    redis: Redis | None  # the command client, None in embedded mode

    @property
    def topics(self) -> Mapping[str, Topic]: ...

    @property
    def connections(self) -> Collection[Connection]: ...


async def claim_sweep(client: Redis | None, seconds: int) -> bool:
    """One web process sweeps the outbox per interval (embedded: the only one)."""
    if client is None:
        return True
    try:
        return bool(await client.set(SWEEP_LOCK, "1", nx=True, ex=seconds))
    except Exception as exc:  # noqa: BLE001 - no sweep this round; the next one tries again
        log.warning("sweeper lock unavailable: %s", exc)
        return False


async def sweep() -> None:
    for job in (republish_unpublished, fanout.sweep_pending):
        try:
            await in_thread_pool(job)()
        except Exception as exc:  # noqa: BLE001 - retried next round
            log.warning("outbox sweep (%s) failed: %s", job.__name__, exc)


async def run(hub: Kept) -> None:
    sweep_every = settings.REALTIME["SWEEP_SECONDS"]
    last_sweep = last_presence = time.monotonic()
    while True:
        await asyncio.sleep(1.0)
        now = time.monotonic()
        for connection in list(hub.connections):
            connection.tick(now)
        metrics.ws_connections.set(len(hub.connections))
        metrics.ws_subscriptions.set(sum(len(s.subscribers) for s in hub.topics.values()))
        if now - last_sweep >= sweep_every:
            last_sweep = now
            if await claim_sweep(hub.redis, sweep_every):
                await sweep()
        if now - last_presence >= REFRESH_SECONDS:
            last_presence = now
            await hub.presence.refresh()
