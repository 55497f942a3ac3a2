"""The WebSocket gateway: one multiplexed connection per device (DESIGN §5).

The consumer owns the connection lifecycle (auth, subscribe, replay, heartbeats, limits). Event
frames come pre-serialised from the hub. Under uvicorn each frame is written straight to the
connection's transport, framed once per process (`frames.ws_text`), while the transport takes
data; otherwise, and while it does not, frames wait in a bounded per-connection backlog that a
short-lived flush task drains, so a slow client never slows anyone else down: when the backlog is
full it is closed with 4009 and recovers by replay.
"""

import asyncio
import json
import logging
import secrets
import time
from collections import deque
from dataclasses import dataclass, field

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import InterfaceError, OperationalError

from planpal.core import metrics
from planpal.core.db import in_thread_pool, is_database_unavailable
from planpal.core.events import EVERYONE
from planpal.core.logging import bind
from planpal.realtime import store
from planpal.realtime.auth import Refused, authenticate
from planpal.realtime.authorisers import authorise, parse_topic
from planpal.realtime.frames import direct_socket, dumps, error_frame, ws_text
from planpal.realtime.hub import get_hub

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4001
CLOSE_FORBIDDEN = 4003
CLOSE_RATE_LIMITED = 4008
CLOSE_TOO_SLOW = 4009
CLOSE_TOO_LARGE = 1009
CLOSE_IDLE = 1001
CLOSE_TRY_LATER = 1013


db = in_thread_pool


@dataclass(eq=False)
class Subscription:
    revocable_after: int  # revocations with a higher seq apply to this connection
    last_seq: int = 0
    held: list | None = field(default_factory=list)  # live frames held while replaying
    typing_at: float = 0.0


def head_and_authorise(user_id: int, topic: str, read_head: bool) -> tuple[bool, int | None]:
    """One trip to a worker thread: the topic's head (read first, when asked), then the check."""
    head = store.topic_head(topic) if read_head else None
    return authorise(user_id, topic), head


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


_connect_bucket: TokenBucket | None = None


def connect_bucket() -> TokenBucket | None:
    """New connections this process accepts (settings REALTIME CONNECT_RATE / CONNECT_BURST;
    a rate of 0 accepts without limit)."""
    global _connect_bucket
    if not settings.REALTIME["CONNECT_RATE"]:
        return None
    if _connect_bucket is None:
        config = settings.REALTIME
        _connect_bucket = TokenBucket(config["CONNECT_RATE"], config["CONNECT_BURST"])
    return _connect_bucket


class RealtimeConsumer(AsyncWebsocketConsumer):
    user_id: int | None = None

    async def dispatch(self, message) -> None:
        """Channels closes stale database connections before handling every message, through
        its single thread-sensitive executor: one thread hop per ping, per subscribe, per
        connect, queued behind every other connection's. This consumer never uses the database
        in its own thread (only in worker threads, see `db`), so it dispatches directly."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # ------------------------------------------------------------------ lifecycle
    async def connect(self) -> None:
        self.conn_id = secrets.token_hex(8)
        self.subs: dict[str, Subscription] = {}
        self.backlog: deque[str] | None = None  # frames the socket has not taken yet (bounded)
        self.flusher: asyncio.Task | None = None
        self.socket = None  # uvicorn's connection, when frames can be written to it directly
        self.closing = False
        self.config = settings.REALTIME
        self.bucket = TokenBucket(self.config["OPS_PER_SECOND"], self.config["OPS_BURST"])
        self.strikes = 0
        self.last_received = self.last_sent = time.monotonic()
        await self.accept()
        bucket = connect_bucket()
        if bucket is not None and not bucket.take():
            # A reconnect storm (a restarted process's clients): spread it out.
            metrics.ws_connects.labels("shed").inc()
            await self.close(code=CLOSE_TRY_LATER, reason="server busy: retry with backoff")
            return
        try:
            user_id = await authenticate(self.scope)
        except Refused as refused:
            metrics.ws_connects.labels(refused.reason_key).inc()
            await self.close(code=refused.code, reason=refused.reason)
            return
        self.hub = get_hub()
        limit = self.config["MAX_CONNECTIONS_PER_USER"]
        if await self.hub.user_connection_count(user_id) >= limit:
            metrics.ws_connects.labels("too_many_connections").inc()
            metrics.rate_limited.labels("ws_connections_per_user").inc()
            await self.close(code=CLOSE_RATE_LIMITED, reason="too many connections")
            return
        self.user_id = user_id
        bind(conn_id=self.conn_id, user_id=user_id)
        metrics.ws_connects.labels("accepted").inc()
        self.socket = direct_socket(self.base_send)
        self.last_active_wall = time.time()
        self.presence_touched = time.monotonic()
        self.hub.user_connected(self)
        self.own_topic = f"user:{self.user_id}"
        try:
            await self._subscribe(self.own_topic, since=None, ref=None, check=False)
        except (OperationalError, InterfaceError) as exc:
            if not is_database_unavailable(exc):
                raise
            # Without the head of the user's own topic there is no consistent start for it;
            # the client's reconnect (with backoff) comes back once the database is.
            log.warning("connect refused, database unavailable: %s", exc)
            self.shut(CLOSE_TRY_LATER, "database unavailable: retry with backoff")

    async def disconnect(self, code) -> None:
        if self.user_id is None:
            return
        self.closing = True
        self.hub.user_disconnected(self)
        for topic in list(self.subs):
            self.hub.detach(topic, self)
        self.subs.clear()
        self.backlog = None
        if self.flusher is not None:
            self.flusher.cancel()

    def shut(self, code: int, reason: str = "") -> None:
        """Close from a synchronous path (hub dispatch, housekeeping)."""
        if self.closing:
            return
        self.closing = True
        metrics.ws_closes.labels(str(code)).inc()
        for topic in list(self.subs):
            self.hub.detach(topic, self)
        self.subs.clear()
        asyncio.get_running_loop().create_task(self.close(code=code, reason=reason))

    def queue(self, frame: str) -> None:
        """Every outgoing frame goes through here, in order: straight to the socket while it
        takes data, else into the bounded backlog (full: close 4009)."""
        if self.closing:
            return
        if not self.backlog and self._write_now(frame):
            return
        if self.backlog is None:
            self.backlog = deque()  # allocated the first time the socket falls behind
        if len(self.backlog) >= self.config["SEND_BUFFER_FRAMES"]:
            self.shut(CLOSE_TOO_SLOW, "too slow: reconnect and replay")
            return
        self.backlog.append(frame)
        if self.flusher is None:
            self.flusher = asyncio.get_running_loop().create_task(self._flush())

    def _write_now(self, frame: str) -> bool:
        socket = self.socket
        if socket is None or not socket.writable.is_set():
            return False
        if not (socket.close_sent or socket.disconnected):
            socket.transport.write(ws_text(frame))
            self.last_sent = time.monotonic()
        return True  # a closing socket takes nothing more: the frame is moot

    async def _flush(self) -> None:
        """Drain the backlog: once the transport's buffer is below its low-water mark again, or
        through ASGI `send` when there is no direct socket."""
        socket = self.socket
        try:
            while self.backlog:  # None once the connection is gone
                if socket is None:
                    await self.send(text_data=self.backlog.popleft())
                else:
                    await socket.writable.wait()
                    if socket.close_sent or socket.disconnected:
                        self.backlog.clear()  # the socket takes nothing more
                        break
                    while self.backlog and socket.writable.is_set():
                        socket.transport.write(ws_text(self.backlog.popleft()))
                self.last_sent = time.monotonic()
        except Exception:  # noqa: BLE001 - the socket is gone; disconnect() cleans up
            self.backlog = None
        finally:
            self.flusher = None

    def tick(self, now: float) -> None:
        """Housekeeping, called by the hub every few seconds."""
        if now - self.last_received > self.config["IDLE_TIMEOUT_SECONDS"]:
            self.shut(CLOSE_IDLE, "idle")
        elif now - self.last_sent > self.config["HEARTBEAT_SECONDS"]:
            self.last_sent = now
            self.queue('{"type":"heartbeat"}')

    # ------------------------------------------------------------------ frames from the hub
    def accept_event(self, topic: str, seq: int, revoked: str, frame: str) -> None:
        sub = self.subs.get(topic)
        if sub is None:
            return
        if sub.held is not None:
            sub.held.append((seq, revoked, frame))
            return
        self._take(topic, sub, seq, revoked, frame)

    def accept_ephemeral(self, topic: str, frame: str) -> None:
        if topic in self.subs and len(self.backlog or ()) < self.config["SEND_BUFFER_FRAMES"]:
            self.queue(frame)

    def _take(self, topic: str, sub: Subscription, seq: int, revoked: str, frame: str) -> None:
        if seq <= sub.last_seq:
            return  # already delivered (replay and live overlap)
        sub.last_seq = seq
        self.queue(frame)
        revokes_me = revoked == EVERYONE or revoked == str(self.user_id)
        # A user always keeps their own topic: it is where they hear that they lost the others.
        if revokes_me and seq > sub.revocable_after and topic != self.own_topic:
            self._drop(topic, reason="revoked")

    def _drop(self, topic: str, *, reason: str, ref=None) -> None:
        self.subs.pop(topic, None)
        self.hub.detach(topic, self)
        self.queue(dumps({"type": "unsubscribed", "topic": topic, "reason": reason, "ref": ref}))

    # ------------------------------------------------------------------ frames from the client
    async def receive(self, text_data=None, bytes_data=None) -> None:
        self.last_received = time.monotonic()
        if self.closing or not self._within_rate():
            return
        self.last_active_wall = time.time()
        self.hub.user_active(self)
        if bytes_data is not None:
            self.queue(error_frame("bad_frame", "binary frames are not supported"))
            return
        if len(text_data.encode()) > self.config["MAX_FRAME_BYTES"]:
            self.shut(CLOSE_TOO_LARGE, "frame too large")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            self.queue(error_frame("bad_json", "frames must be JSON objects"))
            return
        if not isinstance(message, dict):
            self.queue(error_frame("bad_json", "frames must be JSON objects"))
            return
        topic = message.get("topic")
        bind(topic=topic if isinstance(topic, str) and len(topic) <= 64 else None)
        ref = message.get("ref")
        if not (ref is None or (isinstance(ref, str | int) and len(str(ref)) <= 64)):
            ref = None
        handler = self.OPS.get(message.get("op")) if isinstance(message.get("op"), str) else None
        if handler is None:
            self.queue(error_frame("unknown_op", "unknown or missing op", ref))
            return
        try:
            await handler(self, message, ref)
        except (OperationalError, InterfaceError) as exc:
            if not is_database_unavailable(exc):
                raise
            log.warning("%s failed, database unavailable: %s", message["op"], exc)
            self.queue(error_frame("unavailable", "database unavailable; retry shortly", ref))

    def _within_rate(self) -> bool:
        if self.bucket.take():
            self.strikes = 0
            return True
        self.strikes += 1
        if self.strikes == 1:
            self.queue(error_frame("rate_limited", "too many frames; slow down"))
        elif self.strikes > self.config["OPS_BURST"]:
            self.shut(CLOSE_RATE_LIMITED, "rate limited")
        return False

    async def op_subscribe(self, message: dict, ref) -> None:
        topic, since = message.get("topic"), message.get("since")
        if parse_topic(topic) is None:
            self.queue(error_frame("bad_topic", "unknown or malformed topic", ref))
            return
        if since is not None and (type(since) is not int or since < 0):
            self.queue(error_frame("bad_since", "since must be a non-negative integer", ref))
            return
        if topic not in self.subs and len(self.subs) >= self.config["MAX_SUBSCRIPTIONS"]:
            self.queue(
                error_frame("too_many_subscriptions", "unsubscribe from something first", ref)
            )
            return
        await self._subscribe(topic, since=since, ref=ref, check=True)

    async def _subscribe(self, topic: str, *, since: int | None, ref, check: bool) -> None:
        if check:
            # Take the head *before* authorising: a revocation that commits after the check has
            # a higher seq and is then applied to this connection. The seq this process last
            # delivered (when it follows the topic) is at most the log's head, so it errs on
            # the side of applying a revocation; otherwise the log's head is read.
            head_before = self.hub.head(topic)
            allowed, head_read = await db(head_and_authorise)(
                self.user_id, topic, head_before is None
            )
            if not allowed:
                self.queue(error_frame("forbidden", "not allowed to follow this topic", ref))
                return
            if head_before is None:
                head_before = head_read
        else:
            head_before = None  # the own topic: revocations never apply to it (see _take)
        if topic in self.subs:
            self.subs.pop(topic)
            self.hub.detach(topic, self)
        sub = Subscription(revocable_after=head_before or 0)
        self.subs[topic] = sub
        await self.hub.attach(topic, self)
        # "Live from now" starts at the head read before the authorisation check, not at a later
        # one: whatever committed in between (a revocation, say) is replayed, never skipped. The
        # own topic (nothing to revoke there) starts at this process's head after attaching.
        # Live frames are held from here on; the replay comes from the frames this process
        # delivered when they reach back far enough, else from the log.
        baseline = head_before if since is None else since
        try:
            rows, head, recovered = await self._replay(topic, baseline)
        except Exception:
            if self.subs.get(topic) is sub:  # not left holding live frames for ever
                self.subs.pop(topic)
                self.hub.detach(topic, self)
            raise
        if baseline is None:
            baseline = head
        if since is not None:
            metrics.replays.labels("true" if recovered else "false").inc()
        if self.subs.get(topic) is not sub or self.closing:
            return  # unsubscribed or closed meanwhile
        sub.last_seq = baseline if recovered else head
        self.queue(
            dumps(
                {
                    "type": "subscribed",
                    "topic": topic,
                    "seq": head,
                    "recovered": recovered,
                    "ref": ref,
                }
            )
        )
        held, sub.held = sub.held, None
        for seq, revoked, frame in rows + held:
            if self.subs.get(topic) is sub:
                self._take(topic, sub, seq, revoked, frame)

    async def _replay(self, topic: str, baseline: int | None) -> tuple[list, int, bool]:
        """(rows after baseline, head, recovered): from memory when it reaches back that far."""
        answer = self.hub.replay_from_memory(topic, baseline)
        if answer is not None:
            rows, head = answer
            return rows, head, True
        if baseline is None:
            return [], await db(store.topic_head)(topic), True
        return await db(store.replay)(topic, baseline)

    async def op_unsubscribe(self, message: dict, ref) -> None:
        topic = message.get("topic")
        if not isinstance(topic, str) or topic not in self.subs:
            self.queue(error_frame("not_subscribed", "not subscribed to this topic", ref))
            return
        self._drop(topic, reason="client", ref=ref)

    async def op_ping(self, message: dict, ref) -> None:
        self.queue(dumps({"type": "pong", "ref": ref}))

    async def op_typing(self, message: dict, ref) -> None:
        topic = message.get("topic")
        sub = self.subs.get(topic) if isinstance(topic, str) else None
        if sub is None:
            self.queue(error_frame("not_subscribed", "subscribe to the topic first", ref))
            return
        now = time.monotonic()
        if now - sub.typing_at < self.config["TYPING_INTERVAL_SECONDS"]:
            return  # typing is best effort: extra signals are dropped, not answered
        sub.typing_at = now
        frame = dumps({"type": "typing", "topic": topic, "user": self.user_id})
        await self.hub.publish_ephemeral(topic, self.conn_id, frame)

    async def op_presence(self, message: dict, ref) -> None:
        topic = message.get("topic")
        if not isinstance(topic, str) or topic not in self.subs:
            self.queue(error_frame("not_subscribed", "subscribe to the topic first", ref))
            return
        online = await self.hub.online(topic)
        self.queue(dumps({"type": "presence", "topic": topic, "online": online, "ref": ref}))

    OPS = {
        "subscribe": op_subscribe,
        "unsubscribe": op_unsubscribe,
        "ping": op_ping,
        "typing": op_typing,
        "presence": op_presence,
    }
