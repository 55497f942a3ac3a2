"""Wire format of server → client frames. Each event is serialised once, here, by its publisher,
and framed for the WebSocket once per process (`ws_text`), then written as-is to every local
connection that follows its topic."""

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from planpal.realtime.models import Event


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def iso_ms(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_frame(row: Event) -> str:
    return dumps(
        {
            "type": "event",
            "topic": row.topic,
            "seq": row.seq,
            "id": str(row.id),
            "event": row.name,
            "ts": iso_ms(row.created_at),
            "actor": row.actor_id,
            "client_id": row.client_id,
            "data": row.payload,
        }
    )


def error_frame(code: str, message: str, ref: Any = None) -> str:
    return dumps({"type": "error", "code": code, "message": message, "ref": ref})


def unsubscribed_frame(topic: str, reason: str, ref: Any = None) -> str:
    return dumps({"type": "unsubscribed", "topic": topic, "reason": reason, "ref": ref})


# ---------------------------------------------------------------------------- direct writes
_last: tuple[str | None, bytes] = (None, b"")


def ws_text(frame: str) -> bytes:
    """The WebSocket text frame carrying `frame` as the server sends it (RFC 6455 §5.2: FIN, no
    mask, no compression): the same bytes for every connection. The hub hands the same string
    object to each subscriber of an event, so the last result is kept and reused."""
    global _last
    if _last[0] is frame:
        return _last[1]
    payload = frame.encode()
    length = len(payload)
    if length < 126:
        header = bytes((0x81, length))
    elif length < 65536:
        header = b"\x81\x7e" + length.to_bytes(2, "big")
    else:
        header = b"\x81\x7f" + length.to_bytes(8, "big")
    data = header + payload
    _last = (frame, data)
    return data


class DirectSocket(Protocol):
    """What is written to and read of uvicorn's websockets-sansio connection."""

    transport: asyncio.Transport
    writable: asyncio.Event
    close_sent: bool
    disconnected: bool


SANSIO_PROTOCOL = "uvicorn.protocols.websockets.websockets_sansio_impl.WebSocketsSansIOProtocol"


def direct_socket(send: Callable[..., object]) -> DirectSocket | None:
    """The uvicorn connection behind an ASGI `send` callable, if frames may be written to its
    transport directly, else None (other servers, test communicators, permessage-deflate).

    Going through ASGI costs a message dict, several awaits and a frame serialisation per frame
    and connection; at thousands of subscribers per event that is most of the CPU. uvicorn's
    websockets-sansio protocol writes whole frames with `transport.write`, tracks only its own
    control frames (ping, close) and exposes `writable` (cleared while the transport's buffer is
    above its high-water mark), `close_sent` and `disconnected`; writing complete frames beside
    it keeps the stream valid. Channels wraps `send` in bound methods (`real_send` of the
    session middleware), which are followed here."""
    target: object = send
    for _ in range(8):
        owner = getattr(target, "__self__", None)
        if owner is None:
            return None
        kind = type(owner)
        if f"{kind.__module__}.{kind.__qualname__}" == SANSIO_PROTOCOL:
            conn = getattr(owner, "conn", None)
            usable = conn is not None and not getattr(conn, "extensions", None)
            needed = ("transport", "writable", "close_sent", "disconnected")
            return owner if usable and all(hasattr(owner, n) for n in needed) else None
        target = getattr(owner, "real_send", None)
    return None


CLOSE_NEEDS = ("conn", "queue", "loop", "close_timeout", "close_timer", "read_paused")


def close_now(direct: DirectSocket, code: int, reason: str) -> bool:
    """Send the close frame on a `direct_socket` now, behind the data its transport already
    holds; False when it cannot be done here (the caller closes through ASGI).

    uvicorn's own close (ASGI `websocket.close`) first waits until the transport's buffer is
    below its low-water mark. A stalled client never drains it, so a slow-consumer close (4009)
    never went out: the client ended up with 1006 when the connection finally dropped. This does
    what uvicorn's close does, minus the wait: the close frame, the disconnect message to the
    application, and the timer that closes the transport if the client never answers."""
    socket: Any = direct  # what CLOSE_NEEDS names are uvicorn internals, checked for here
    if not all(hasattr(socket, name) for name in CLOSE_NEEDS):
        return False
    if socket.close_sent or socket.disconnected or socket.transport.is_closing():
        return False
    socket.conn.send_close(code, reason)
    socket.transport.write(b"".join(socket.conn.data_to_send()))
    socket.close_sent = True
    socket.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
    if socket.read_paused:  # read the client's close reply
        socket.read_paused = False
        socket.transport.resume_reading()
    socket.close_timer = socket.loop.call_later(socket.close_timeout, socket.transport.close)
    return True
