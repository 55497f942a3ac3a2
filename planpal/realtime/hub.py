"""The per-process hub: one bus subscription per topic in use, ordered gap-free fan-out of
pre-serialised frames to the local connections of that topic.

Ordering: seqs of a topic are allocated under a row lock held to commit, so when event N is
published, events < N are already committed. Publishes may still *arrive* out of order (they
happen after commit, in different threads or processes); the hub holds an early arrival briefly
and fills any gap from the event log, so every connection sees each topic's events in seq order.
"""

import asyncio
import gc
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.conf import settings

from planpal.core import metrics, redis_clients
from planpal.core.db import in_thread_pool
from planpal.realtime import bus, presence, store
from planpal.realtime.frames import dumps
from planpal.realtime.selectors import stream_positions

log = logging.getLogger(__name__)

# How long an out-of-order event waits for its predecessor before the hub reads the log.
GAP_WAIT_SECONDS = 0.05
READY_TIMEOUT_SECONDS = 2.0
OFFLINE_DEBOUNCE_SECONDS = 5.0
PRESENCE_TOUCH_SECONDS = 10.0
PRESENCE_REFRESH_SECONDS = 20
PRESENCE_TTL_SECONDS = 60
# A topic whose last local subscriber left stays subscribed this long: a client that reconnects
# (network change, reconnect storm after a restart elsewhere) finds it open, with its recent
# frames to replay from memory, instead of costing an UNSUBSCRIBE, a SUBSCRIBE and a log read.
LINGER_SECONDS = 30.0
# Frames of each open topic kept for replays from memory (a short absence); longer ones read the
# event log.
RECENT_FRAMES = 32
# Topics opened together (a burst of connections) share one SUBSCRIBE and one head query.
OPEN_BATCH = 500
PRESENCE_CHUNK = 200  # topics per pipeline of the presence refresh
# Garbage collection (see _gc_policy): freeze survivors this often; a full sweep at most this
# often, and never more often than keeps sweeping under GC_SWEEP_BUDGET of the process's time.
GC_FREEZE_SECONDS = 1.0
GC_SWEEP_MIN_SECONDS = 60.0
GC_SWEEP_BUDGET = 0.005
# Worker threads for the gateway's blocking calls (event-log reads, authorisation queries):
# asyncio's default (CPUs + 4) made a reconnect storm wait in line for the database. Each
# thread may hold one database connection.
WORKER_THREADS = 16


class Subscriber(Protocol):
    conn_id: str
    user_id: int

    def accept_event(self, topic: str, seq: int, revoked: str, frame: str) -> None: ...

    def accept_ephemeral(self, topic: str, frame: str) -> None: ...


@dataclass(eq=False)
class TopicState:
    subscribers: set = field(default_factory=set)
    last_seq: int | None = None  # None until the topic's head was read after subscribing
    pending: dict[int, tuple[str, str]] = field(default_factory=dict)
    ready: asyncio.Event | None = None  # created by the first attach() that has to wait
    filling: bool = False
    recent: deque | None = None  # the last RECENT_FRAMES (seq, revoked, frame) delivered
    linger: asyncio.TimerHandle | None = None  # closes the topic when no one came back


class Hub:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.loop.set_default_executor(
            ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="realtime")
        )
        self.topics: dict[str, TopicState] = {}
        self.transport = RedisTransport(self) if settings.REDIS_URL else None
        self.connections: set = set()  # every live connection of this process, for housekeeping
        self._tasks: set[asyncio.Task] = set()
        self._opening: list[tuple[str, TopicState]] = []  # topics waiting for _open_topics
        if self.transport:
            self._spawn(self.transport.run())
            self.presence = presence.RedisPresence(self.transport.client)
        else:
            self.presence = presence.LocalPresence(self)
        self._spawn(self._housekeeping())
        self._spawn(self._gc_policy())

    # ------------------------------------------------------------------ subscriptions
    async def attach(self, topic: str, subscriber: Subscriber) -> None:
        """Add a local subscriber; returns once live events of the topic flow to this process
        (or after a short timeout while the bus is down — the reconnect catch-up covers that)."""
        state = self.topics.get(topic)
        if state is None:
            state = self.topics[topic] = TopicState()
            self._opening.append((topic, state))
            if len(self._opening) == 1:
                self._spawn(self._open_topics())
        elif state.linger is not None:
            state.linger.cancel()
            state.linger = None
        state.subscribers.add(subscriber)
        if self.transport:
            self._spawn(self.transport.presence_join(topic, subscriber))
        if state.last_seq is not None:
            return
        if state.ready is None:
            state.ready = asyncio.Event()
        try:
            await asyncio.wait_for(state.ready.wait(), READY_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("topic %s not live yet; continuing, catch-up will follow", topic)

    def detach(self, topic: str, subscriber: Subscriber) -> None:
        state = self.topics.get(topic)
        if state is None:
            return
        state.subscribers.discard(subscriber)
        if self.transport:
            self._spawn(self.transport.presence_leave(topic, subscriber))
        if not state.subscribers and state.linger is None:
            state.linger = self.loop.call_later(LINGER_SECONDS, self._close_topic, topic, state)

    def _close_topic(self, topic: str, state: TopicState) -> None:
        state.linger = None
        if state.subscribers or self.topics.get(topic) is not state:
            return
        del self.topics[topic]
        if self.transport:
            self._spawn(self.transport.unsubscribe(topic))

    async def _open_topics(self) -> None:
        """Open the topics attached since the last round, together: one SUBSCRIBE for all of
        them (confirmed by Redis), *then* one read of their heads. Live messages may already be
        arriving; they wait in `pending` until the head is known."""
        await asyncio.sleep(0)  # let the rest of a burst of attaches queue up
        while self._opening:
            batch, self._opening = self._opening[:OPEN_BATCH], self._opening[OPEN_BATCH:]
            try:
                if self.transport:
                    await self.transport.subscribe(*(topic for topic, _ in batch))
                heads = await in_thread_pool(stream_positions)([topic for topic, _ in batch])
            except Exception as exc:  # noqa: BLE001 - retried; attach() stops waiting at 2 s
                log.warning("opening %d topic(s) failed, retrying: %s", len(batch), exc)
                await asyncio.sleep(0.5)
                self._opening.extend(b for b in batch if self.topics.get(b[0]) is b[1])
                continue
            for topic, state in batch:
                if self.topics.get(topic) is not state:
                    continue
                if state.last_seq is None:
                    state.last_seq = heads[topic]["seq"]
                if state.ready is not None:
                    state.ready.set()
                self._drain(topic, state)

    def head(self, topic: str) -> int | None:
        """The last seq of the topic this process delivered, if it follows the topic."""
        state = self.topics.get(topic)
        return state.last_seq if state is not None else None

    def replay_from_memory(self, topic: str, since: int | None):
        """(rows, head) for a subscriber attached just now, from the frames this process
        delivered: `head` is the last seq delivered, rows are (seq, revoked, frame) after
        `since` up to it. None when memory cannot answer (topic not live yet, `since` older than
        the frames kept, or newer than this process has seen): the caller reads the log."""
        state = self.topics.get(topic)
        if state is None or state.last_seq is None:
            return None
        head = state.last_seq
        if since is None or since == head:
            return [], head
        recent = state.recent
        if since > head or not recent or recent[0][0] > since + 1:
            return None
        return [row for row in recent if row[0] > since], head

    # ------------------------------------------------------------------ incoming messages
    def post_threadsafe(self, messages: list[tuple[str, str]]) -> None:
        """Embedded mode: the publisher runs in a worker thread and hands messages over here."""
        self.loop.call_soon_threadsafe(self.receive_many, messages)

    def receive_many(self, messages: Iterable[tuple[str, str]]) -> None:
        for topic, message in messages:
            self.receive(topic, message)

    def receive(self, topic: str, message: str) -> None:
        state = self.topics.get(topic)
        if state is None:
            return
        header, _, frame = message.partition("\n")
        kind, _, extra = header.partition(" ")
        if kind == "-":
            for subscriber in list(state.subscribers):
                if subscriber.conn_id != extra:
                    subscriber.accept_ephemeral(topic, frame)
            return
        seq = int(kind)
        if state.last_seq is not None and seq <= state.last_seq:
            return  # duplicate (sweeper republish, catch-up overlap)
        state.pending[seq] = (extra, frame)
        self._drain(topic, state)

    def _drain(self, topic: str, state: TopicState) -> None:
        if state.last_seq is None:
            return
        for seq in [s for s in state.pending if s <= state.last_seq]:
            del state.pending[seq]
        while state.last_seq + 1 in state.pending:
            seq = state.last_seq + 1
            revoked, frame = state.pending.pop(seq)
            state.last_seq = seq
            if state.recent is None:
                state.recent = deque(maxlen=RECENT_FRAMES)  # only topics that carry events
            state.recent.append((seq, revoked, frame))
            subscribers = list(state.subscribers)
            for subscriber in subscribers:
                subscriber.accept_event(topic, seq, revoked, frame)
            _count_delivery(frame, len(subscribers))
        if state.pending and not state.filling:
            state.filling = True
            self._spawn(self._fill_gap(topic, state))

    async def _fill_gap(self, topic: str, state: TopicState) -> None:
        try:
            await asyncio.sleep(GAP_WAIT_SECONDS)
            if not state.pending or self.topics.get(topic) is not state:
                return
            rows = await in_thread_pool(store.bus_messages_after)(
                topic, state.last_seq, min(state.pending)
            )
            for seq, revoked, frame in rows:
                if seq > state.last_seq:
                    state.pending.setdefault(seq, (revoked, frame))
        finally:
            state.filling = False
        self._drain(topic, state)

    async def catch_up(self, topic: str) -> None:
        """After a bus outage: deliver whatever the log has beyond what this process has seen."""
        state = self.topics.get(topic)
        if state is None or state.last_seq is None:
            return
        rows = await in_thread_pool(store.bus_messages_after)(topic, state.last_seq, None)
        for seq, revoked, frame in rows:
            if seq > state.last_seq:
                state.pending.setdefault(seq, (revoked, frame))
        self._drain(topic, state)

    # ------------------------------------------------------------------ ephemeral frames
    async def publish_ephemeral(self, topic: str, origin: str, frame: str) -> None:
        message = bus.ephemeral_message(origin, frame)
        if self.transport:
            await self.transport.publish(topic, message)
        else:
            self.receive(topic, message)

    async def online(self, topic: str) -> list[int]:
        """Users with a live connection following the topic, across all web processes."""
        if self.transport:
            return await self.transport.presence_online(topic)
        state = self.topics.get(topic)
        return sorted({s.user_id for s in state.subscribers}) if state else []

    # ------------------------------------------------------------------ user presence
    def user_connected(self, connection) -> None:
        self.connections.add(connection)
        self._spawn(self._connected(connection.user_id, connection.conn_id))

    def user_disconnected(self, connection) -> None:
        self.connections.discard(connection)
        self._spawn(self._disconnected(connection.user_id, connection.conn_id))

    def user_active(self, connection) -> None:
        """A client frame arrived; tell the shared presence at most every few seconds."""
        now = time.monotonic()
        if now - connection.presence_touched >= PRESENCE_TOUCH_SECONDS:
            connection.presence_touched = now
            self._spawn(self._quietly(self.presence.touch(connection.user_id, connection.conn_id)))

    async def _connected(self, user_id: int, conn_id: str) -> None:
        await self._quietly(self.presence.touch(user_id, conn_id))
        if await self._quietly(self.presence.announce(user_id, True)):
            await self._quietly(self._announce(user_id, online=True))

    async def _disconnected(self, user_id: int, conn_id: str) -> None:
        await self._quietly(self.presence.forget(user_id, conn_id))
        await asyncio.sleep(OFFLINE_DEBOUNCE_SECONDS)  # a quick reconnect is not "offline"
        if await self._quietly(self.presence.is_online(user_id)):
            return
        if await self._quietly(self.presence.announce(user_id, False)):
            await self._quietly(self._announce(user_id, online=False))

    async def _announce(self, user_id: int, *, online: bool) -> None:
        topics = await in_thread_pool(presence.audience)(user_id)
        for topic in topics:
            frame = dumps(
                {"type": "presence.changed", "topic": topic, "user": user_id, "online": online}
            )
            await self.publish_ephemeral(topic, "", frame)

    async def _quietly(self, awaitable):
        try:
            return await awaitable
        except Exception as exc:  # noqa: BLE001 - presence degrades, never breaks delivery
            log.warning("presence update failed: %s", exc)
            return None

    async def user_connection_count(self, user_id: int) -> int:
        """Live connections of the user across all processes: the members of their own topic's
        presence set (every connection follows it), or this process's subscribers of it."""
        topic = f"user:{user_id}"
        local = len(self.topics[topic].subscribers) if topic in self.topics else 0
        if not self.transport:
            return local
        count = await self.transport._quietly(
            self.transport.client.zcount(PRESENCE_PREFIX + topic, time.time(), "+inf")
        )
        return max(local, count or 0)

    async def shutdown(self) -> None:
        """Process stop: close every connection with 1012 (clients reconnect elsewhere and
        replay), stop background work and leave the bus."""
        for connection in list(self.connections):
            connection.shut(1012, "server restart")
        await asyncio.sleep(0.2)  # let the close frames go out
        for task in list(self._tasks):
            task.cancel()
        if self.transport:
            await self.transport._quietly(self.transport.client.aclose())
            await self.transport._quietly(self.transport.subscriber.aclose())

    # ------------------------------------------------------------------ housekeeping
    async def _housekeeping(self) -> None:
        """Heartbeats, idle timeouts, presence refresh and the outbox sweeper, for the process."""
        from planpal.realtime.publisher import republish_unpublished

        sweep_every = settings.REALTIME["SWEEP_SECONDS"]
        last_sweep = last_presence = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for connection in list(self.connections):
                connection.tick(now)
            metrics.ws_connections.set(len(self.connections))
            metrics.ws_subscriptions.set(sum(len(s.subscribers) for s in self.topics.values()))
            if now - last_sweep >= sweep_every:
                last_sweep = now
                if not self.transport or await self.transport.claim_sweep(sweep_every):
                    try:
                        await in_thread_pool(republish_unpublished)()
                    except Exception as exc:  # noqa: BLE001 - retried next round
                        log.warning("outbox sweep failed: %s", exc)
            if self.transport and now - last_presence >= PRESENCE_REFRESH_SECONDS:
                last_presence = now
                await self.transport.presence_refresh()

    async def _gc_policy(self) -> None:
        """Keep the cyclic garbage collector from stalling every connection of the process.

        Each connection owns ~150 objects the collector tracks; a full collection walks all of
        them, and CPython runs one whenever the tracked objects grew by a quarter. At 10,000
        connections that was a 1-2 s pause every few seconds while connections came in, with
        every delivery waiting behind it (docs/benchmarks.md). So: every GC_FREEZE_SECONDS,
        collect the young generations (short-lived cycles die there) and move the survivors,
        mostly long-lived connection state, to the permanent generation that collections skip
        (`gc.freeze`); now and then, unfreeze and run one full collection to reclaim cycles
        among objects that died after being frozen — every request or connection still in
        flight at a freeze, so this garbage grows with traffic (the soak measured ~0.1 MB/s per
        process at 4 writes/s when the sweep ran every 30 min). The sweep is paced by its own
        cost: at least GC_SWEEP_MIN_SECONDS apart, and far enough apart that sweeping takes at
        most GC_SWEEP_BUDGET of the time (a 1.5 s sweep at 10,000 connections runs every
        5 min). Once most objects are frozen, the "grew by a quarter" rule would call a full
        collection every 70,000 allocations, so generation 2's own threshold goes up from 10 to
        1,000 young-generation collections."""
        young, middle, old = gc.get_threshold()
        gc.set_threshold(young, middle, max(old, 1000))
        gc.freeze()  # startup state: modules, settings, URL patterns
        next_sweep = time.monotonic() + GC_SWEEP_MIN_SECONDS
        while True:
            await asyncio.sleep(GC_FREEZE_SECONDS)
            if time.monotonic() >= next_sweep:
                started = time.monotonic()
                gc.unfreeze()
                gc.collect()
                took = time.monotonic() - started
                next_sweep = started + max(GC_SWEEP_MIN_SECONDS, took / GC_SWEEP_BUDGET)
            else:
                gc.collect(1)
            gc.freeze()

    # ------------------------------------------------------------------ helpers
    def _spawn(self, coro) -> None:
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class RedisTransport:
    """One Redis pub/sub connection per process; reconnects with backoff and catches up."""

    CONTROL_CHANNEL = bus.CHANNEL_PREFIX + "_hub"

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        # Commands (publish, presence, locks) time out; the subscription connection waits for
        # messages as long as it takes, so it has a client of its own without a read timeout.
        self.client = redis_clients.async_client(socket_connect_timeout=2, socket_timeout=2)
        self.subscriber = redis_clients.async_client(socket_connect_timeout=2)
        self.pubsub = None
        self.connected = False
        self.confirmations: dict[str, list[asyncio.Future]] = {}
        self.pings: dict[str, asyncio.Future] = {}

    async def subscribe(self, *topics: str) -> None:
        """Returns once Redis confirmed the subscriptions: every publish after this reaches us.
        While disconnected it returns at once; the reconnect resubscribes and catches up."""
        if not self.connected or not topics:
            return
        waiting = []
        for topic in topics:
            confirmed = self.hub.loop.create_future()
            self.confirmations.setdefault(topic, []).append(confirmed)
            waiting.append(confirmed)
        try:
            await self.pubsub.subscribe(*(bus.channel_for(topic) for topic in topics))
            await asyncio.wait_for(asyncio.gather(*waiting), READY_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - the reconnect loop resubscribes everything
            log.warning("subscribe of %d topic(s) not confirmed: %s", len(topics), exc)

    async def unsubscribe(self, topic: str) -> None:
        if self.connected and topic not in self.hub.topics:
            try:
                await self.pubsub.unsubscribe(bus.channel_for(topic))
            except Exception as exc:  # noqa: BLE001
                log.warning("unsubscribe %s failed: %s", topic, exc)

    async def publish(self, topic: str, message: str) -> None:
        try:
            await self.client.publish(bus.channel_for(topic), message)
        except Exception as exc:  # noqa: BLE001 - ephemeral frames may be dropped
            log.warning("ephemeral publish to %s failed: %s", topic, exc)

    # Presence: a sorted set per topic of "user:conn" → expiry, refreshed while connected, so
    # a crashed process's connections fall out within PRESENCE_TTL_SECONDS.
    async def presence_join(self, topic: str, subscriber: Subscriber) -> None:
        member = f"{subscriber.user_id}:{subscriber.conn_id}"
        await self._quietly(self.client.zadd(PRESENCE_PREFIX + topic, {member: _expiry()}))

    async def presence_leave(self, topic: str, subscriber: Subscriber) -> None:
        member = f"{subscriber.user_id}:{subscriber.conn_id}"
        await self._quietly(self.client.zrem(PRESENCE_PREFIX + topic, member))

    async def presence_online(self, topic: str) -> list[int]:
        members = await self._quietly(
            self.client.zrangebyscore(PRESENCE_PREFIX + topic, time.time(), "+inf")
        )
        return sorted({int(member.split(b":")[0]) for member in members or []})

    async def presence_refresh(self) -> None:
        """Re-add every local member, in pipelines of PRESENCE_CHUNK topics: one pipeline for
        10,000 connections would hold the event loop (and every delivery) for about a second."""
        expiry = _expiry()
        topics = [(t, list(s.subscribers)) for t, s in self.hub.topics.items() if s.subscribers]
        for start in range(0, len(topics), PRESENCE_CHUNK):
            pipe = self.client.pipeline(transaction=False)
            for topic, subscribers in topics[start : start + PRESENCE_CHUNK]:
                key = PRESENCE_PREFIX + topic
                pipe.zadd(key, {f"{s.user_id}:{s.conn_id}": expiry for s in subscribers})
                pipe.zremrangebyscore(key, "-inf", time.time())
                pipe.expire(key, PRESENCE_TTL_SECONDS * 2)
            await self._quietly(pipe.execute())

    async def claim_sweep(self, seconds: int) -> bool:
        """One web process sweeps the outbox per interval."""
        claimed = await self._quietly(self.client.set(SWEEP_LOCK, "1", nx=True, ex=seconds))
        return bool(claimed)

    async def round_trip(self, timeout: float) -> None:
        """Readiness: publish on the control channel and wait for our own listener to hear it."""
        if not self.connected:
            raise ConnectionError("bus not connected")
        token = secrets.token_hex(8)
        heard = self.pings[token] = self.hub.loop.create_future()
        try:
            await self.client.publish(self.CONTROL_CHANNEL, "ping " + token)
            await asyncio.wait_for(heard, timeout)
        finally:
            self.pings.pop(token, None)

    async def _quietly(self, awaitable):
        try:
            return await awaitable
        except Exception as exc:  # noqa: BLE001 - presence and locks degrade, never crash
            log.warning("redis call failed: %s", exc)
            return None

    async def run(self) -> None:
        delay = 0.2
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect on any failure
                log.warning("bus connection lost: %s; reconnecting in %.1fs", exc, delay)
            delay = 0.2 if self.connected else min(delay * 2, 5.0)
            self.connected = False
            await asyncio.sleep(delay)

    async def _listen(self) -> None:
        if self.pubsub is not None:
            await self.pubsub.aclose()
        self.pubsub = self.subscriber.pubsub()
        resubscribed = set(self.hub.topics)
        await self.pubsub.subscribe(
            self.CONTROL_CHANNEL, *(bus.channel_for(topic) for topic in resubscribed)
        )
        self.connected = True
        while True:
            message = await self.pubsub.get_message(timeout=5.0)
            if message is None:
                continue
            channel = message["channel"].decode()
            if channel == self.CONTROL_CHANNEL:
                data = message["data"]
                if isinstance(data, bytes) and data.startswith(b"ping "):
                    heard = self.pings.get(data[5:].decode())
                    if heard is not None and not heard.done():
                        heard.set_result(True)
                continue
            topic = bus.topic_of(channel)
            kind = message["type"]
            kind = kind.decode() if isinstance(kind, bytes) else kind
            if kind == "message":
                self.hub.receive(topic, message["data"].decode())
            elif kind == "subscribe":
                for confirmed in self.confirmations.pop(topic, []):
                    if not confirmed.done():
                        confirmed.set_result(True)
                if topic in resubscribed:
                    resubscribed.discard(topic)
                    self.hub._spawn(self.hub.catch_up(topic))


PRESENCE_PREFIX = bus.CHANNEL_PREFIX + "presence:"
SWEEP_LOCK = bus.CHANNEL_PREFIX + "sweeper"


def _count_delivery(frame: str, subscribers: int) -> None:
    """Metrics of one event handed to this process's connections: commit → now latency from
    the frame's `ts` (Event.created_at, written in the committing transaction)."""
    metrics.events_dispatched.inc()
    if not subscribers:
        return
    metrics.frames_delivered.inc(subscribers)
    start = frame.find('"ts":"')
    if start >= 0:
        try:
            created = datetime.fromisoformat(frame[start + 6 : start + 30])
        except ValueError:
            return
        metrics.delivery_latency.observe(max(0.0, time.time() - created.timestamp()))


def _expiry() -> float:
    return time.time() + PRESENCE_TTL_SECONDS


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """The hub of this process, created on first use inside the server's event loop."""
    global _hub
    with _hub_lock:
        if _hub is None or _hub.loop is not asyncio.get_running_loop():
            _hub = Hub()
        return _hub


def local_hub() -> Hub | None:
    return _hub
