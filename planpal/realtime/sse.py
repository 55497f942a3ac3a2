"""Server-Sent Events: the WebSocket's event stream over plain HTTP, for clients that cannot
hold a WebSocket (some proxies, low-end devices).

    GET /api/v1/stream?topics=plan:42,group:3[&since=plan:42:17,group:3:5]
    Authorization: Bearer <access token>    (or the browser's session cookie)
    Last-Event-ID: plan:42:18               (sent by EventSource when it reconnects)

Served by the ASGI app itself (config/asgi.py routes this path ahead of Django) and fed by the
process's hub exactly like a WebSocket connection, through the same subscription core
(subscriptions.py: authorisation, pre-serialised frames, replay, revocation). Each event is one
SSE message whose `id:` is `topic:seq` and whose `data:` is the WebSocket's event frame;
`subscribed` / `unsubscribed` frames come as `data:` without an id; heartbeats are comment
lines. A revoking event is followed by `unsubscribed {reason: "revoked"}` and the end of the
response. A client that does not read fast enough (SEND_BUFFER_FRAMES queued) has its response
ended too; it reconnects and replays.
"""

import asyncio
import logging
import re
import secrets
import signal
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import FrameType
from typing import Any
from urllib.parse import parse_qs

from channels.generic.http import AsyncHttpConsumer
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.core.asgi_types import Scope
from planpal.core.db import in_thread_pool, is_database_unavailable
from planpal.realtime.auth import Refused, header, origin_allowed, session_credential
from planpal.realtime.authorisers import parse_topic
from planpal.realtime.credentials import Credential
from planpal.realtime.frames import dumps
from planpal.realtime.hub import get_hub
from planpal.realtime.sse_refusals import (
    Header,
    Refusal,
    not_admitted,
    refusal_body,
    with_items,
)
from planpal.realtime.subscriptions import NotAdmitted, TopicSubscriber

log = logging.getLogger(__name__)

RETRY_MS = 2000  # EventSource's reconnect delay, sent once at the start of every stream
HEARTBEAT = b": heartbeat\n\n"
POSITION = re.compile(r"(?:(.+):)?([0-9]{1,18})")  # fullmatch: nothing around it

_streams: set["EventStreamConsumer"] = set()  # open streams of this process, for shutdown


db = in_thread_pool

# A Python-level signal handler (what signal.getsignal returns when it is callable).
Handler = Callable[[int, FrameType | None], Any]


@dataclass(frozen=True)
class StreamRequest:
    topics: list[str]
    positions: dict[str, int]  # topic → the last seq the client has


# ---------------------------------------------------------------------------- the request
def parse_request(scope: Scope) -> StreamRequest:
    """Topics from `?topics=`; positions from `?since=` (strict) and `Last-Event-ID` (an
    EventSource sends back whatever id it saw last: entries for other topics are ignored). Both
    hold `topic:seq` items, comma-separated; a bare seq is allowed when there is one topic.
    Items are taken as they are: one that is not exactly a topic (or position) refuses the
    request, nothing is trimmed."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    items = _items(query.get("topics", []))
    if not items:
        raise Refusal(400, "bad_topic", _("Name the topics: ?topics=plan:42,group:3"))
    limit = min(settings.SSE_MAX_TOPICS, settings.REALTIME["MAX_SUBSCRIPTIONS"])
    if len(items) > limit:
        message = format_lazy(
            _("At most {limit} topics per stream: follow fewer, or open another stream."),
            limit=limit,
        )
        raise Refusal(400, "too_many_subscriptions", message, {"topics": [message]})
    bad = [item for item in items if parse_topic(item) is None]
    if bad:
        message = _("Unknown or malformed topic(s).")
        shown = ", ".join(ascii(item) for item in bad[:10])
        raise Refusal(400, "bad_topic", message, {"topics": [with_items(message, shown)]})
    topics = list(dict.fromkeys(items))
    positions: dict[str, int] = {}
    for item in _items(query.get("since", [])):
        topic_seq = _position(item, topics)
        if topic_seq is None:
            message = _("since holds topic:seq items of the requested topics.")
            raise Refusal(400, "bad_since", message, {"since": [message]})
        _keep_newest(positions, *topic_seq)
    last_event_id = header(scope, b"last-event-id")
    for item in _items([last_event_id] if last_event_id else []):
        topic_seq = _position(item, topics)
        if topic_seq is not None:
            _keep_newest(positions, *topic_seq)
    return StreamRequest(topics, positions)


def _items(values: list[str]) -> list[str]:
    """The comma-separated items of a parameter given once or more (`?topics=a&topics=b` too)."""
    text = ",".join(values)
    return text.split(",") if text else []


def _position(item: str, topics: list[str]) -> tuple[str, int] | None:
    match = POSITION.fullmatch(item)
    if match is None:
        return None
    topic = match.group(1) or (topics[0] if len(topics) == 1 else None)
    return (topic, int(match.group(2))) if topic in topics else None


def _keep_newest(positions: dict[str, int], topic: str, seq: int) -> None:
    positions[topic] = max(positions.get(topic, 0), seq)


async def authenticate(scope: Scope) -> Credential:
    """Who is asking, from `Authorization: Bearer <access token>` (simplejwt, with the account's
    token version checked) or, without that header, the session cookie — refused when a
    cross-site page sends it (Origin not allowed)."""
    authorization = header(scope, b"authorization")
    if authorization is not None:
        kind, _space, token = authorization.partition(" ")
        credential = (
            await db(_token_credential)(token.strip()) if kind.lower() == "bearer" else None
        )
        if credential is None:
            raise Refusal(401, "not_authenticated", _("The access token is invalid or expired."))
        return credential
    if not scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME):
        raise Refusal(401, "not_authenticated", _("Send Authorization: Bearer <access token>."))
    origin = header(scope, b"origin")
    if origin is not None and not origin_allowed(origin, header(scope, b"host")):
        raise Refusal(403, "forbidden", _("This origin may not use the session."))
    try:
        return await session_credential(scope)
    except Refused as refused:
        raise Refusal(401, "not_authenticated", _("Not logged in.")) from refused


def _token_credential(token: str) -> Credential | None:
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    from planpal.core.authentication import JWTAuthentication

    authentication = JWTAuthentication()
    try:
        user = authentication.get_user(authentication.get_validated_token(token.encode()))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return None
    return Credential(user.pk, user.token_version, language=user.language)


# ---------------------------------------------------------------------------- the stream
def sse_event(topic: str, seq: int, frame: str) -> bytes:
    return f"id: {topic}:{seq}\ndata: {frame}\n\n".encode()


def sse_data(frame: str) -> bytes:
    return f"data: {frame}\n\n".encode()


# Channels has no types: its consumers are Any to mypy (disallow_subclassing_any).
class EventStreamConsumer(TopicSubscriber, AsyncHttpConsumer):  # type: ignore[misc]
    """One SSE response following the requested topics. Subscriptions and their guarantees come
    from TopicSubscriber (subscriptions.py); this is the stream's part: the request, its buffer
    and writing the response."""

    writer: asyncio.Task[None] | None = None

    async def http_request(self, message: dict[str, Any]) -> None:
        # Unlike AsyncHttpConsumer's, this does not end the consumer when handle() returns: the
        # response stays open, fed by the hub, until the client goes (http.disconnect, handled
        # by http_disconnect) or the stream ends itself.
        if "body" in message:
            self.body.append(message["body"])
        if not message.get("more_body"):
            await self.handle(b"".join(self.body))

    async def handle(self, body: bytes) -> None:
        self.conn_id = secrets.token_hex(8)
        self.subs = {}
        self.pending: deque[bytes] = deque()
        self.wake = asyncio.Event()
        self.closing = self.ending = False
        self.writer = None
        self.limit = settings.REALTIME["SEND_BUFFER_FRAMES"]
        if self.scope["method"] != "GET":
            refusal = Refusal(405, "method_not_allowed", _("Use GET."))
            await self._refuse(refusal, [(b"allow", b"GET")])
            return
        self.hub = get_hub()
        try:
            await self.admit(lambda: authenticate(self.scope))
        except NotAdmitted as refusal:
            await self._refuse(not_admitted(refusal))
            return
        except Refusal as refusal:
            await self._refuse(refusal)
            return
        try:
            request = parse_request(self.scope)
            heads = await self._check(request.topics)
        except Refusal as refusal:
            self.release()  # admitted, but there is nothing to stream
            await self._refuse(refusal)
            return
        await self.send_headers(
            status=200,
            headers=[
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache, no-transform"),
                (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
            ],
        )
        _streams.add(self)
        self._queue(f"retry: {RETRY_MS}\n\n".encode())
        self.writer = asyncio.create_task(self._write_loop())
        if self.own_topic not in request.topics:
            await self.watch_own_topic()  # a revocation of the credentials ends the stream
        for topic in request.topics:
            if self.closing:
                return
            since = request.positions.get(topic)
            try:
                await self.follow(topic, since=since, head_before=heads[topic])
            except (OperationalError, InterfaceError) as exc:
                if not is_database_unavailable(exc):
                    raise
                self.end("database unavailable: reconnect with Last-Event-ID")
                return
            while len(self.pending) > self.limit // 2 and not self.closing:
                await asyncio.sleep(0.01)  # let a long replay drain before the next one

    async def _check(self, topics: list[str]) -> dict[str, int]:
        """Each topic's head taken before authorising; every topic must be allowed."""
        try:
            heads, refused = await self.check_topics(topics)
        except (OperationalError, InterfaceError) as exc:
            if not is_database_unavailable(exc):
                raise
            raise Refusal(503, "unavailable", _("Database unavailable; retry shortly.")) from exc
        if refused:
            message = _("Not allowed to follow these topics.")
            fields = {"topics": [with_items(message, ", ".join(refused))]}
            raise Refusal(403, "forbidden", message, fields)
        return heads

    # ------------------------------------------------------------------ delivery
    def deliver_event(self, topic: str, seq: int, frame: str) -> None:
        self._queue(sse_event(topic, seq, frame))

    def deliver_frame(self, frame: str) -> None:
        self._queue(sse_data(frame))

    def on_revoked(self, topic: str) -> None:
        """The stream ends: the client reconnects without that topic."""
        self.end("revoked")

    def on_credentials_revoked(self) -> None:
        """The stream ends; its reconnect is refused (401) unless the session survived."""
        self.end("credentials revoked: sign in again")

    def accept_ephemeral(self, topic: str, frame: str) -> None:
        if topic in self.subs and len(self.pending) < self.limit:
            self._queue(sse_data(frame))

    # ------------------------------------------------------------------ output
    def _queue(self, chunk: bytes) -> None:
        if self.closing:
            return
        if len(self.pending) >= self.limit:
            self.end("too slow: reconnect with Last-Event-ID")
            return
        self.pending.append(chunk)
        self.wake.set()

    def end(self, reason: str) -> None:
        """End the response after what is queued (revocation, too slow, server restart); its
        slot and subscriptions are given back now."""
        if self.closing:
            return
        self.closing = True
        self.pending.append(f": {reason}\n\n".encode())
        self.release()
        self.ending = True
        self.wake.set()

    def shut(self, code: int, reason: str = "") -> None:
        """The hub ends every connection this way (a WebSocket close code means nothing here)."""
        self.end(reason)

    def tick(self, now: float) -> None:
        """Housekeeping: nothing to do, the write loop sends the heartbeats."""

    async def _write_loop(self) -> None:
        heartbeat = settings.SSE_HEARTBEAT_SECONDS
        try:
            while True:
                if not self.pending and not self.ending:
                    self.wake.clear()
                    try:
                        await asyncio.wait_for(self.wake.wait(), heartbeat)
                    except TimeoutError:
                        self.pending.append(HEARTBEAT)
                chunks = b"".join(self.pending)
                self.pending.clear()
                await self.send_body(chunks, more_body=not self.ending)
                if self.ending:
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # the client is gone; http_disconnect cleans up
            log.debug("SSE stream %s stopped writing", self.conn_id, exc_info=True)

    async def _refuse(self, refusal: Refusal, extra_headers: Iterable[Header] = ()) -> None:
        # The profile's language once the request is authenticated (admit() keeps the credential).
        credential = getattr(self, "credential", None)
        body = refusal_body(refusal, self.scope, credential.language if credential else "")
        headers = [(b"content-type", b"application/json"), *refusal.headers, *extra_headers]
        if refusal.status == 401:
            headers.append((b"www-authenticate", b'Bearer realm="api"'))
        await self.send_response(refusal.status, dumps(body).encode(), headers=headers)

    async def disconnect(self) -> None:
        _streams.discard(self)
        self.closing = True
        self.release()
        if self.writer is not None and not self.writer.done():
            self.writer.cancel()


# ---------------------------------------------------------------------------- shutdown
def end_streams_on_exit_signal() -> None:
    """uvicorn waits for open responses before it stops, and an event stream never ends by
    itself: on SIGTERM/SIGINT, end every stream of this process (clients reconnect elsewhere
    with Last-Event-ID), then let uvicorn's own handler run. Call from the lifespan startup,
    after uvicorn installed its handlers."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if not callable(previous) or getattr(previous, "ends_streams", False):
            continue

        def handler(number: int, frame: FrameType | None, previous: Handler = previous) -> None:
            loop.call_soon_threadsafe(_end_all, "server restart: reconnect")
            previous(number, frame)

        handler.ends_streams = True  # type: ignore[attr-defined]
        try:
            signal.signal(signum, handler)
        except ValueError:  # not the main thread (an embedded test server): nothing to chain
            return


def _end_all(reason: str) -> None:
    for stream in list(_streams):
        stream.end(reason)
