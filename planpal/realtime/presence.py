"""Who is here, behind one interface (`Presence`) with an embedded and a Redis implementation.

Per topic: who follows it (`online`, the `presence` op). Per user: how many connections they
hold, WebSockets and SSE streams alike (the per-user cap, `take_slot`); online/offline changes,
announced to the user's groups as ephemeral `presence.changed` frames, debounced — going
offline is announced only if no connection came back within a few seconds, and a per-user
"announced" flag keeps several processes from announcing the same change; and whether a client
spoke recently (`user_is_active`, for push decisions).

In Redis (shared by web processes and Celery workers) a sorted set per shared topic maps
`<user_id>:<conn_id>` to an expiry that every process refreshes for its live connections, a
sorted set per user does the same for their connections' ids (their slots, which also answer
who follows the user's own topic: only the user does), and a hash per user maps connection id →
time of the last client frame; entries of a crashed process age out. In embedded mode the web
process's own connections are the truth.

Nothing here raises into delivery: a failed Redis call is logged and presence degrades.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Coroutine, Iterable, Mapping
from functools import cached_property
from typing import Any, Protocol, TypeVar

from django.conf import settings
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.commands.core import AsyncScript

from planpal.core.db import BatchedLookup
from planpal.realtime import bus
from planpal.realtime.authorisers import parse_topic
from planpal.realtime.batch import CommandBatch
from planpal.realtime.connections import Connection, Subscriber, Topic
from planpal.realtime.frames import dumps

log = logging.getLogger(__name__)

T = TypeVar("T")

OFFLINE_DEBOUNCE_SECONDS = 5.0
TOUCH_SECONDS = 10.0  # a client frame refreshes the user's presence at most this often
REFRESH_SECONDS = 20  # every process re-adds its live topic members this often
TOPIC_TTL_SECONDS = 60  # ... and a member it stopped refreshing expires after this
REFRESH_CHUNK = 200  # sorted sets per script call of the refresh

# refresh: for each key, add its members with the expiry, drop the expired ones, renew the key's
# TTL (KEYS: the sorted sets; ARGV: the expiry, now, the TTL, then per key its member count and
# members). One call per chunk: three commands per key, each packed, sent and its reply read
# on the event loop, were ~63,000 commands for 10,000 connections every refresh, at 5.3-8.9 us
# of the process's CPU each (measured with redis-py and hiredis).
REFRESH = """
local expiry, now, ttl, at = ARGV[1], ARGV[2], ARGV[3], 4
for _, key in ipairs(KEYS) do
  local count = tonumber(ARGV[at])
  for i = at + 1, at + count do
    redis.call('ZADD', key, expiry, ARGV[i])
  end
  at = at + count + 1
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('EXPIRE', key, ttl)
end
return #KEYS
"""

# take_slot: drop expired slots, add this connection's, count them (KEYS[1] the user's slots;
# ARGV: now, the slot's expiry, the connection id, the key's TTL).
TAKE_SLOT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local count = redis.call('ZCARD', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return count
"""

# user ids → for each, the topics that hear about the user's presence (registered by the
# groups app; asked for all the users a burst of connects announces at once).
AudienceProvider = Callable[[list[int]], dict[int, list[str]]]
_audiences: list[AudienceProvider] = []


def register_audience(provider: AudienceProvider) -> None:
    _audiences.append(provider)


def audiences(user_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
    for provider in _audiences:
        for user_id, topics in provider(user_ids).items():
            found[user_id].extend(topics)
    return found


# Whom the users going online or offline together are announced to: one worker-thread trip.
_audiences_of: BatchedLookup[int, list[str]] = BatchedLookup(audiences)


def _own_topic_of(topic: str) -> int | None:
    """The user whose own topic this is (`user:<id>`): followed by that user's connections only,
    which their slots already hold, so it has no presence set of its own."""
    parsed = parse_topic(topic)
    return parsed[1] if parsed is not None and parsed[0] == "user" else None


def _topic_key(topic: str) -> str:
    return f"{bus.CHANNEL_PREFIX}presence:{topic}"


def _user_key(user_id: int) -> str:
    return f"{bus.CHANNEL_PREFIX}online:{user_id}"


def _slots_key(user_id: int) -> str:
    return f"{bus.CHANNEL_PREFIX}slots:{user_id}"


def _announced_key(user_id: int) -> str:
    return f"{bus.CHANNEL_PREFIX}announced:{user_id}"


_embedded: "EmbeddedPresence | None" = None  # this process's, in embedded mode


def user_is_active(user_id: int) -> bool:
    """Does the user have a connection whose client spoke recently? (Sync: for push decisions.)"""
    return user_id in active_users([user_id])


def active_users(user_ids: Iterable[int]) -> set[int]:
    """Those of `user_ids` who have a connection whose client spoke recently, in one Redis round
    trip however many they are (the push planning of a notice to a whole group)."""
    ids = list(user_ids)
    cutoff = time.time() - settings.REALTIME["ACTIVE_SECONDS"]
    if settings.REDIS_URL:
        pipe = bus.redis_client().pipeline(transaction=False)
        for user_id in ids:
            pipe.hvals(_user_key(user_id))
        stamps = pipe.execute()
        recent = [any(float(stamp) > cutoff for stamp in values) for values in stamps]
        return {pk for pk, spoke in zip(ids, recent, strict=True) if spoke}
    if _embedded is None:
        return set()
    return _embedded.spoke_since(set(ids), cutoff)


class Local(Protocol):
    """What presence needs of the process's hub."""

    @property
    def topics(self) -> Mapping[str, Topic]: ...

    @property
    def connections(self) -> Collection[Connection]: ...

    @property
    def users(self) -> Mapping[int, Collection[Connection]]: ...

    def spawn(self, coro: Coroutine[Any, Any, object]) -> None: ...

    async def publish_ephemeral(self, topic: str, origin: str, frame: str) -> None: ...


class Presence:
    """The interface. Subclasses store it; the announcing is the same in both modes."""

    def __init__(self, hub: Local) -> None:
        self.hub = hub

    # ------------------------------------------------------------------ per topic
    def joined(self, topic: str, subscriber: Subscriber) -> None:
        """A local subscriber was attached to the topic."""

    def left(self, topic: str, subscriber: Subscriber) -> None:
        """A local subscriber was detached from the topic."""

    async def online(self, topic: str) -> list[int]:
        """Users with a live connection following the topic, across all web processes."""
        raise NotImplementedError

    async def take_slot(self, connection: Connection, limit: int) -> bool:
        """May `connection` (not registered yet) be one of its user's `limit` live connections
        across all web processes? The answer holds only if the connection is registered before
        the caller awaits anything else."""
        return len(self.hub.users.get(connection.user_id, ())) < limit

    def give_back_slot(self, connection: Connection) -> None:
        """A slot `take_slot` granted goes unused (the connection was refused after all)."""

    async def refresh(self) -> None:
        """Housekeeping, every REFRESH_SECONDS."""

    # ------------------------------------------------------------------ per user
    def connected(self, connection: Connection) -> None:
        self.hub.spawn(self._connected(connection.user_id, connection.conn_id))

    def disconnected(self, connection: Connection) -> None:
        self.hub.spawn(self._disconnected(connection.user_id, connection.conn_id))

    def active(self, connection: Connection) -> None:
        """A client frame arrived; tell the shared presence at most every few seconds."""
        now = time.monotonic()
        if now - connection.presence_touched >= TOUCH_SECONDS:
            connection.presence_touched = now
            self.hub.spawn(self.touch(connection.user_id, connection.conn_id))

    async def _connected(self, user_id: int, conn_id: str) -> None:
        await self.touch(user_id, conn_id)
        if await self.flip(user_id, True):
            await self._announce(user_id, online=True)

    async def _disconnected(self, user_id: int, conn_id: str) -> None:
        await self.forget(user_id, conn_id)
        await asyncio.sleep(OFFLINE_DEBOUNCE_SECONDS)  # a quick reconnect is not "offline"
        if not await self.is_online(user_id) and await self.flip(user_id, False):
            await self._announce(user_id, online=False)

    async def _announce(self, user_id: int, *, online: bool) -> None:
        try:
            topics = await _audiences_of(user_id)
        except Exception as exc:  # noqa: BLE001 - presence degrades, never breaks delivery
            log.warning("presence audience of user %s unavailable: %s", user_id, exc)
            return
        for topic in topics:
            frame = {"type": "presence.changed", "topic": topic, "user": user_id, "online": online}
            await self.hub.publish_ephemeral(topic, "", dumps(frame))

    async def touch(self, user_id: int, conn_id: str) -> None:
        """The user's client spoke on this connection (or it just connected)."""

    async def forget(self, user_id: int, conn_id: str) -> None:
        """The connection ended."""

    async def is_online(self, user_id: int) -> bool:
        raise NotImplementedError

    async def flip(self, user_id: int, online: bool) -> bool:
        """Record the announced state; True if it changed (so this caller announces it)."""
        raise NotImplementedError


class EmbeddedPresence(Presence):
    """Embedded mode: this process holds every connection."""

    def __init__(self, hub: Local) -> None:
        super().__init__(hub)
        self.announced: dict[int, bool] = {}
        global _embedded
        _embedded = self

    async def online(self, topic: str) -> list[int]:
        state = self.hub.topics.get(topic)
        return sorted({s.user_id for s in state.subscribers}) if state else []

    async def is_online(self, user_id: int) -> bool:
        return any(c.user_id == user_id and not c.closing for c in self.hub.connections)

    async def flip(self, user_id: int, online: bool) -> bool:
        previous = self.announced.get(user_id, False)
        self.announced[user_id] = online
        return previous != online

    def spoke_since(self, user_ids: set[int], cutoff: float) -> set[int]:
        connections = list(self.hub.connections)
        return {
            c.user_id for c in connections if c.user_id in user_ids and c.last_active_wall > cutoff
        }


class RedisPresence(Presence):
    """Every per-connection write goes through one CommandBatch (batch.py): a burst of
    connects costs a few pipelines, not several round trips per connection."""

    def __init__(self, hub: Local, client: Redis, batch: CommandBatch | None = None) -> None:
        super().__init__(hub)
        self.client = client
        self.batch = batch or CommandBatch(client, hub.spawn)

    @cached_property
    def refresh_script(self) -> AsyncScript:
        return self.client.register_script(REFRESH)

    async def _quietly(self, awaitable: Awaitable[T]) -> T | None:
        try:
            return await awaitable
        except Exception as exc:  # noqa: BLE001 - presence degrades, never breaks delivery
            log.warning("presence update failed: %s", exc)
            return None

    def joined(self, topic: str, subscriber: Subscriber) -> None:
        if _own_topic_of(topic) is not None:
            return
        member = {f"{subscriber.user_id}:{subscriber.conn_id}": _expiry()}
        self.batch.post(lambda pipe: pipe.zadd(_topic_key(topic), member))

    def left(self, topic: str, subscriber: Subscriber) -> None:
        if _own_topic_of(topic) is not None:
            return
        member = f"{subscriber.user_id}:{subscriber.conn_id}"
        self.batch.post(lambda pipe: pipe.zrem(_topic_key(topic), member))

    async def online(self, topic: str) -> list[int]:
        user_id = _own_topic_of(topic)
        key = _topic_key(topic) if user_id is None else _slots_key(user_id)
        members = await self._quietly(self.client.zrangebyscore(key, time.time(), "+inf"))
        if user_id is not None:
            return [user_id] if members else []
        return sorted({int(member.split(b":")[0]) for member in members or []})

    async def take_slot(self, connection: Connection, limit: int) -> bool:
        """One script adds the connection to its user's slots and counts them (atomically, so
        two processes admitting the user's last free slot at once do not both take it). This
        process's own count decides too (Redis may not have heard of its connections yet, or
        be unreachable)."""
        if not await super().take_slot(connection, limit):
            return False
        key, now = _slots_key(connection.user_id), time.time()
        args = (
            str(now),
            str(now + TOPIC_TTL_SECONDS),
            connection.conn_id,
            str(TOPIC_TTL_SECONDS * 2),
        )
        try:
            replies = await self._quietly(
                self.batch.send(lambda pipe: pipe.eval(TAKE_SLOT, 1, key, *args))
            )
        except asyncio.CancelledError:  # the client went away meanwhile: free what was taken
            self.hub.spawn(self.forget(connection.user_id, connection.conn_id))
            raise
        if replies is None or replies[0] <= limit:
            return True
        self.batch.post(lambda pipe: pipe.zrem(key, connection.conn_id))
        return False

    def give_back_slot(self, connection: Connection) -> None:
        key = _slots_key(connection.user_id)
        self.batch.post(lambda pipe: pipe.zrem(key, connection.conn_id))

    async def refresh(self) -> None:
        """Re-add every local member: each shared topic's, each user's slots. A script call per
        REFRESH_CHUNK sorted sets: one for 10,000 connections would hold Redis, and the event
        loop while it packs the call, for too long."""
        sets = [
            (_topic_key(topic), [f"{s.user_id}:{s.conn_id}" for s in state.subscribers])
            for topic, state in self.hub.topics.items()
            if state.subscribers and _own_topic_of(topic) is None
        ]
        sets += [
            (_slots_key(user_id), [c.conn_id for c in connections])
            for user_id, connections in self.hub.users.items()
        ]
        expiry = _expiry()
        for start in range(0, len(sets), REFRESH_CHUNK):
            chunk = sets[start : start + REFRESH_CHUNK]
            args: list[str | float] = [expiry, time.time(), TOPIC_TTL_SECONDS * 2]
            for _, members in chunk:
                args += [len(members), *members]
            await self._quietly(self.refresh_script(keys=[key for key, _ in chunk], args=args))

    async def touch(self, user_id: int, conn_id: str) -> None:
        key, now = _user_key(user_id), time.time()
        ttl = int(settings.REALTIME["IDLE_TIMEOUT_SECONDS"] * 2)

        def build(pipe: Pipeline) -> None:
            pipe.hset(key, conn_id, str(now))
            pipe.expire(key, ttl)

        self.batch.post(build)

    async def forget(self, user_id: int, conn_id: str) -> None:
        def build(pipe: Pipeline) -> None:
            pipe.hdel(_user_key(user_id), conn_id)
            pipe.zrem(_slots_key(user_id), conn_id)

        await self._quietly(self.batch.send(build))

    async def is_online(self, user_id: int) -> bool:
        """Errs on the side of "online" when Redis cannot say: no offline announcement."""
        cutoff = time.time() - settings.REALTIME["IDLE_TIMEOUT_SECONDS"]
        key = _user_key(user_id)
        # Batched: the users of a reconnect storm's dropped connections are all asked 5 s later.
        replies = await self._quietly(self.batch.send(lambda pipe: pipe.hvals(key)))
        return replies is None or any(float(stamp) > cutoff for stamp in replies[0])

    async def flip(self, user_id: int, online: bool) -> bool:
        state, key = ("1" if online else "0"), _announced_key(user_id)

        replies = await self._quietly(
            self.batch.send(lambda pipe: pipe.set(key, state, ex=86400, get=True))
        )
        if replies is None:
            return False
        previous = replies[0]
        return (previous.decode() if previous else "0") != state


def _expiry() -> float:
    return time.time() + TOPIC_TTL_SECONDS
