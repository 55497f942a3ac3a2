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
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import InterfaceError, OperationalError

from planpal.core import metrics
from planpal.core.db import is_database_unavailable
from planpal.core.logging import bind
from planpal.realtime import admission
from planpal.realtime.admission import TokenBucket
from planpal.realtime.auth import Refused, authenticate
from planpal.realtime.authorisers import parse_topic
from planpal.realtime.frames import (
    DirectSocket,
    close_now,
    direct_socket,
    dumps,
    error_frame,
    unsubscribed_frame,
    ws_text,
)
from planpal.realtime.hub import get_hub
from planpal.realtime.subscriptions import NotAdmitted, TopicSubscriber

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4001
CLOSE_FORBIDDEN = 4003
CLOSE_RATE_LIMITED = 4008
CLOSE_TOO_SLOW = 4009
CLOSE_TOO_LARGE = 1009
CLOSE_BAD_DATA = 1007
CLOSE_INTERNAL = 1011
CLOSE_IDLE = 1001
CLOSE_TRY_LATER = 1013

# A client frame's `ref`, echoed in the answers to it: a short string or number, else None.
Ref = str | int | None
# A handler of a client frame's `op`.
Op = Callable[["RealtimeConsumer", dict[str, Any], Ref], Awaitable[None]]


# How a connection that was not admitted is closed: (metrics label, close code, reason).
NOT_ADMITTED = {
    admission.ADDRESS_THROTTLED: (
        "address_throttled",
        CLOSE_RATE_LIMITED,
        "too many refused handshakes from your address: retry later",
    ),
    admission.BUSY: ("shed", CLOSE_TRY_LATER, "server busy: retry with backoff"),
    admission.TOO_MANY_CONNECTIONS: (
        "too_many_connections",
        CLOSE_RATE_LIMITED,
        "too many connections",
    ),
}


# Channels has no types: its consumers are Any to mypy (disallow_subclassing_any).
class RealtimeConsumer(TopicSubscriber, AsyncWebsocketConsumer):  # type: ignore[misc]
    """Subscriptions and their guarantees come from TopicSubscriber (subscriptions.py); this is
    the WebSocket's part: authentication, limits, ops, and writing frames to the socket."""

    async def dispatch(self, message: dict[str, Any]) -> None:
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
        self.subs = {}
        self.typing_at: dict[str, float] | None = None  # topic → last typing signal forwarded
        self.backlog: deque[str] | None = None  # frames the socket has not taken yet (bounded)
        self.flusher: asyncio.Task[None] | None = None
        # uvicorn's connection, when frames can be written to it directly
        self.socket: DirectSocket | None = None
        self.closing = False
        self.config = settings.REALTIME
        self.bucket = TokenBucket(self.config["OPS_PER_SECOND"], self.config["OPS_BURST"])
        self.strikes = 0
        self.last_received = self.last_sent = time.monotonic()
        await self.accept()
        self.hub = get_hub()
        try:
            await self.admit(lambda: authenticate(self.scope))
        except Refused as refused:
            metrics.ws_connects.labels(refused.reason_key).inc()
            await self.close(code=refused.code, reason=refused.reason)
            return
        except NotAdmitted as refusal:
            label, code, reason = NOT_ADMITTED[refusal.reason]
            metrics.ws_connects.labels(label).inc()
            await self.close(code=code, reason=reason)
            return
        bind(conn_id=self.conn_id, user_id=self.user_id)
        metrics.ws_connects.labels("accepted").inc()
        self.socket = direct_socket(self.base_send)
        try:
            await self.follow(self.own_topic, since=None, head_before=None)
        except (OperationalError, InterfaceError) as exc:
            if not is_database_unavailable(exc):
                raise
            # Without the head of the user's own topic there is no consistent start for it;
            # the client's reconnect (with backoff) comes back once the database is.
            log.warning("connect refused, database unavailable: %s", exc)
            self.shut(CLOSE_TRY_LATER, "database unavailable: retry with backoff")

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        """As Channels' own, less its thread hop to close stale database connections (this
        consumer's thread holds none, see `dispatch`): 5,000 of them queued in a reconnect storm.
        There are no channel-layer groups to leave."""
        await self.disconnect(message["code"])
        raise StopConsumer()

    async def disconnect(self, code: int) -> None:
        self.closing = True
        self.release()

    def release(self) -> None:
        super().release()
        self.backlog = None
        if self.flusher is not None:
            self.flusher.cancel()

    def shut(self, code: int, reason: str = "") -> None:
        """Close from a synchronous path (hub dispatch, housekeeping, a full backlog). The slot,
        presence and subscriptions are given back now, not when the close handshake ends."""
        if self.closing:
            return
        self.closing = True
        metrics.ws_closes.labels(str(code)).inc()
        self.release()
        # The close frame goes straight behind what the socket already holds: through ASGI it
        # would wait until the transport takes data again, which a stalled client never lets
        # happen (it saw 1006 instead of 4009).
        if self.socket is None or not close_now(self.socket, code, reason):
            self.hub.spawn(self._close(code, reason))

    async def _close(self, code: int, reason: str) -> None:
        try:
            await self.close(code=code, reason=reason)
        except Exception as exc:  # noqa: BLE001 - the socket is already gone: nothing to tell
            log.debug("close %s of %s not sent: %r", code, self.conn_id, exc)

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
    def deliver_event(self, topic: str, seq: int, frame: str) -> None:
        self.queue(frame)

    def deliver_frame(self, frame: str) -> None:
        self.queue(frame)

    def on_credentials_revoked(self) -> None:
        self.shut(CLOSE_UNAUTHENTICATED, "credentials revoked: sign in again")

    def accept_ephemeral(self, topic: str, frame: str) -> None:
        if topic in self.subs and len(self.backlog or ()) < self.config["SEND_BUFFER_FRAMES"]:
            self.queue(frame)

    # ------------------------------------------------------------------ frames from the client
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.last_received = time.monotonic()
        # A refused connection's frames (sent before it heard the refusal) are nobody's business:
        # they used to reach presence for a connection never registered, and raise.
        if self.closing or not self.registered or not self._within_rate():
            return
        self.last_active_wall = time.time()
        self.hub.presence.active(self)
        if bytes_data is not None or text_data is None:
            self.queue(error_frame("bad_frame", "binary frames are not supported"))
            return
        if len(text_data.encode()) > self.config["MAX_FRAME_BYTES"]:
            self.shut(CLOSE_TOO_LARGE, "frame too large")
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):  # ~1 KB of "[" is too deep for the decoder
            message = None
        if not isinstance(message, dict):
            self.shut(CLOSE_BAD_DATA, "frames must be JSON objects")
            return
        topic = message.get("topic")
        bind(topic=topic if isinstance(topic, str) and len(topic) <= 64 else None)
        ref = message.get("ref")
        if not (ref is None or (isinstance(ref, str | int) and len(str(ref)) <= 64)):
            ref = None
        op = message.get("op")
        handler = self.OPS.get(op) if isinstance(op, str) else None
        if handler is None:
            self.queue(error_frame("unknown_op", "unknown or missing op", ref))
            return
        try:
            await handler(self, message, ref)
        except Exception as exc:
            if isinstance(exc, OperationalError | InterfaceError) and is_database_unavailable(exc):
                log.warning("%s failed, database unavailable: %s", message["op"], exc)
                self.queue(error_frame("unavailable", "database unavailable; retry shortly", ref))
                return
            log.exception("%s failed", message["op"])  # a bug: close cleanly, the client replays
            self.shut(CLOSE_INTERNAL, "internal error: reconnect")

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

    async def op_subscribe(self, message: dict[str, Any], ref: Ref) -> None:
        topic, since = message.get("topic"), message.get("since")
        if not isinstance(topic, str) or parse_topic(topic) is None:
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
        heads, refused = await self.check_topics([topic])
        if refused:
            self.queue(error_frame("forbidden", "not allowed to follow this topic", ref))
            return
        await self.follow(topic, since=since, head_before=heads[topic], ref=ref)

    async def op_unsubscribe(self, message: dict[str, Any], ref: Ref) -> None:
        topic = message.get("topic")
        if not isinstance(topic, str) or topic not in self.subs:
            self.queue(error_frame("not_subscribed", "not subscribed to this topic", ref))
            return
        self.unfollow(topic)
        self.queue(unsubscribed_frame(topic, "client", ref))

    async def op_ping(self, message: dict[str, Any], ref: Ref) -> None:
        self.queue(dumps({"type": "pong", "ref": ref}))

    async def op_typing(self, message: dict[str, Any], ref: Ref) -> None:
        topic = message.get("topic")
        if not isinstance(topic, str) or topic not in self.subs:
            self.queue(error_frame("not_subscribed", "subscribe to the topic first", ref))
            return
        now = time.monotonic()
        if self.typing_at is None:
            self.typing_at = {}
        if now - self.typing_at.get(topic, 0.0) < self.config["TYPING_INTERVAL_SECONDS"]:
            return  # typing is best effort: extra signals are dropped, not answered
        self.typing_at[topic] = now
        frame = dumps({"type": "typing", "topic": topic, "user": self.user_id})
        await self.hub.publish_ephemeral(topic, self.conn_id, frame)

    async def op_presence(self, message: dict[str, Any], ref: Ref) -> None:
        topic = message.get("topic")
        if not isinstance(topic, str) or topic not in self.subs:
            self.queue(error_frame("not_subscribed", "subscribe to the topic first", ref))
            return
        online = await self.hub.presence.online(topic)
        self.queue(dumps({"type": "presence", "topic": topic, "online": online, "ref": ref}))

    OPS: ClassVar[dict[str, Op]] = {
        "subscribe": op_subscribe,
        "unsubscribe": op_unsubscribe,
        "ping": op_ping,
        "typing": op_typing,
        "presence": op_presence,
    }
