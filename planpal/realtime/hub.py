"""The per-process hub: one bus subscription per topic in use, ordered gap-free fan-out of
pre-serialised frames to the local connections of that topic.

Ordering: seqs of a topic are allocated under a row lock held to commit, so when event N is
published, events < N are already committed. Publishes may still *arrive* out of order (they
happen after commit, in different threads or processes); the hub holds an early arrival briefly
and fills any gap from the event log, so every connection sees each topic's events in seq order.

Its other jobs live beside it: the Redis pub/sub connection (transport.py), presence
(presence.py), housekeeping (housekeeping.py) and process tuning (tuning.py).
"""

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from redis.asyncio import Redis

from planpal.core import metrics
from planpal.core.db import in_thread_pool
from planpal.realtime import bus, housekeeping, store, tuning
from planpal.realtime.batch import CommandBatch
from planpal.realtime.connections import Connection, Subscriber
from planpal.realtime.presence import EmbeddedPresence, Presence, RedisPresence
from planpal.realtime.selectors import stream_positions
from planpal.realtime.transport import READY_TIMEOUT_SECONDS, RedisTransport, command_client

log = logging.getLogger(__name__)

# How long an out-of-order event waits for its predecessor before the hub reads the log.
GAP_WAIT_SECONDS = 0.05
# A topic whose last local subscriber left stays subscribed this long: a client that reconnects
# (network change, reconnect storm after a restart elsewhere) finds it open, with its recent
# frames to replay from memory, instead of costing an UNSUBSCRIBE, a SUBSCRIBE and a log read.
LINGER_SECONDS = 30.0
# Frames of each open topic kept for replays from memory (a short absence); longer ones read the
# event log.
RECENT_FRAMES = 32
# Topics opened together (a burst of connections) share one SUBSCRIBE and one head query.
OPEN_BATCH = 500

# An event as delivered: (seq, revocation, frame).
Row = tuple[int, str, str]


@dataclass(eq=False)
class TopicState:
    subscribers: set[Subscriber] = field(default_factory=set)
    last_seq: int | None = None  # None until the topic's head was read after subscribing
    pending: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Created by the first attach() that has to wait, dropped once the topic is live: an Event
    # with its deque is ~940 bytes (tracemalloc), and a user's own topic is one per connection.
    ready: asyncio.Event | None = None
    filling: bool = False
    recent: deque[Row] | None = None  # the last RECENT_FRAMES (seq, revoked, frame) delivered
    linger: asyncio.TimerHandle | None = None  # closes the topic when no one came back


class Hub:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        tuning.use_worker_threads(self.loop)
        self.topics: dict[str, TopicState] = {}
        # Every live connection of this process, for housekeeping.
        self.connections: set[Connection] = set()
        # User id → their live connections in this process.
        self.users: dict[int, set[Connection]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._opening: list[tuple[str, TopicState]] = []  # topics waiting for _open_topics
        self.presence: Presence
        if settings.REDIS_URL:
            self.redis: Redis | None = command_client()
            self.batch: CommandBatch | None = CommandBatch(self.redis, self.spawn)
            self.transport: RedisTransport | None = RedisTransport(self, self.redis)
            self.presence = RedisPresence(self, self.redis, self.batch)
            self.spawn(self.transport.run())
        else:
            self.redis = self.transport = self.batch = None
            self.presence = EmbeddedPresence(self)
            bus.use_embedded_sink(self.post_threadsafe)  # the bus of embedded mode is this hub
        self.spawn(housekeeping.run(self))
        self.spawn(tuning.gc_policy())

    # ------------------------------------------------------------------ subscriptions
    async def attach(self, topic: str, subscriber: Subscriber) -> None:
        """Add a local subscriber; returns once live events of the topic flow to this process
        (or after a short timeout while the bus is down — the reconnect catch-up covers that)."""
        state = self.topics.get(topic)
        if state is None:
            state = self.topics[topic] = TopicState()
            self._opening.append((topic, state))
            if len(self._opening) == 1:
                self.spawn(self._open_topics())
        elif state.linger is not None:
            state.linger.cancel()
            state.linger = None
        state.subscribers.add(subscriber)
        self.presence.joined(topic, subscriber)
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
        self.presence.left(topic, subscriber)
        if not state.subscribers and state.linger is None:
            state.linger = self.loop.call_later(LINGER_SECONDS, self._close_topic, topic, state)

    def _close_topic(self, topic: str, state: TopicState) -> None:
        state.linger = None
        if state.subscribers or self.topics.get(topic) is not state:
            return
        del self.topics[topic]
        if self.transport:
            self.spawn(self.transport.unsubscribe(topic))

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
                    state.ready.set()  # its waiters hold it; the topic does not need it again
                    state.ready = None
                self._drain(topic, state)

    def head(self, topic: str) -> int | None:
        """The last seq of the topic this process delivered, if it follows the topic."""
        state = self.topics.get(topic)
        return state.last_seq if state is not None else None

    def replay_from_memory(self, topic: str, since: int | None) -> tuple[list[Row], int] | None:
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
            self.spawn(self._fill_gap(topic, state))

    async def _fill_gap(self, topic: str, state: TopicState) -> None:
        try:
            await asyncio.sleep(GAP_WAIT_SECONDS)
            # last_seq is known: _drain spawns this only after the head was read.
            if not state.pending or state.last_seq is None or self.topics.get(topic) is not state:
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

    async def publish_ephemeral(self, topic: str, origin: str, frame: str) -> None:
        message = bus.ephemeral_message(origin, frame)
        if self.batch is not None:  # with the other writes of this turn (batch.py); may be lost
            channel = bus.channel_for(topic)
            self.batch.post(lambda pipe: pipe.publish(channel, message))
        else:
            self.receive(topic, message)

    # ------------------------------------------------------------------ connections
    def connected(self, connection: Connection) -> None:
        self.connections.add(connection)
        self.users.setdefault(connection.user_id, set()).add(connection)
        self.presence.connected(connection)

    def disconnected(self, connection: Connection) -> None:
        self.connections.discard(connection)
        own = self.users.get(connection.user_id)
        if own is not None:
            own.discard(connection)
            if not own:
                del self.users[connection.user_id]
        self.presence.disconnected(connection)

    async def shutdown(self) -> None:
        """Process stop: close every connection with 1012 (clients reconnect elsewhere and
        replay), stop background work and leave the bus."""
        for connection in list(self.connections):
            connection.shut(1012, "server restart")
        await asyncio.sleep(0.2)  # let the close frames go out
        for task in list(self._tasks):
            task.cancel()
        if self.transport:
            await self.transport.close()

    def spawn(self, coro: Coroutine[Any, Any, object]) -> None:
        """Run in the background, keeping a reference (a task nobody holds may vanish) until it
        is done, its failure logged, and cancelled at shutdown."""
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        """Nothing is left to log "Task exception was never retrieved" at exit."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background task %s failed: %r", task.get_coro(), task.exception())


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
