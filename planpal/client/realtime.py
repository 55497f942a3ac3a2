"""The realtime client: connection upkeep, subscriptions, ordering and dedupe."""

import asyncio
import contextlib
import functools
import json
import logging
import random
import ssl
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)

# Close codes after which reconnecting with the same credentials cannot help.
FATAL_CLOSE_CODES = {4003}


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: building one loads the CA bundle (0.05-0.15 s of CPU that
    blocks the event loop), and the client asks for a ticket on every connection attempt."""
    return httpx.create_ssl_context()


async def login(base_url: str, username: str, password: str) -> str:
    """An access token for username/password (POST /api/v1/auth/token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10, verify=_tls()) as http:
        response = await http.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        response.raise_for_status()
        return response.json()["access"]


class RealtimeClient:
    def __init__(
        self,
        base_url: str,
        *,
        access_token: str,
        ping_seconds: float = 25.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.ping_seconds = ping_seconds
        self.max_backoff = max_backoff
        self.last_seq: dict[str, int | None] = {}  # topic → last delivered seq (None: live only)
        self.connected = asyncio.Event()
        self.user_id: int | None = None
        self._frames: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._ws: ClientConnection | None = None
        self._runner: asyncio.Task | None = None
        self._refs = 0
        self._resyncing: set[str] = set()  # topics with a replay request in flight
        self.connections = 0  # how many times a connection was established

    async def __aenter__(self) -> "RealtimeClient":
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def start(self, timeout: float = 10.0) -> None:
        self._runner = asyncio.create_task(self._run())
        await asyncio.wait_for(self.connected.wait(), timeout)

    async def close(self) -> None:
        if self._runner:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._runner
        if self._ws is not None:
            await self._ws.close()

    # ------------------------------------------------------------------ public API
    async def subscribe(self, topic: str, since: int | None = None) -> None:
        """Follow a topic; with `since`, first replay everything after that seq."""
        self.last_seq[topic] = since
        if self.connected.is_set():
            await self._send_subscribe(topic)

    async def unsubscribe(self, topic: str) -> None:
        self.last_seq.pop(topic, None)
        await self.send({"op": "unsubscribe", "topic": topic})

    async def send(self, frame: dict[str, Any]) -> None:
        if "ref" not in frame:
            self._refs += 1
            frame = {**frame, "ref": f"r{self._refs}"}
        if self._ws is None:
            raise ConnectionError("not connected: start() first")
        await self._ws.send(json.dumps(frame))

    async def frames(self):
        """Every frame worth a caller's attention, events in order without duplicates."""
        while True:
            yield await self._frames.get()

    async def next_frame(self, timeout: float = 5.0, type: str | None = None) -> dict[str, Any]:
        while True:
            frame = await asyncio.wait_for(self._frames.get(), timeout)
            if type is None or frame.get("type") == type:
                return frame

    async def events(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        return [await self.next_frame(timeout, type="event") for _ in range(count)]

    async def drop_connection(self) -> None:
        """Cut the socket (as a network drop would); the client reconnects by itself."""
        self.connected.clear()
        if self._ws is not None:
            await self._ws.close()

    # ------------------------------------------------------------------ connection upkeep
    async def _ticket(self) -> str:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10, verify=_tls()) as http:
            response = await http.post(
                "/api/v1/realtime/ticket", headers={"Authorization": f"Bearer {self.access_token}"}
            )
            response.raise_for_status()
            return response.json()["ticket"]

    def _ws_url(self, ticket: str) -> str:
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        return f"{scheme}://{self.base_url.split('://', 1)[1]}/ws/?ticket={ticket}"

    async def _run(self) -> None:
        self._attempt = 0
        while True:
            try:
                ticket = await self._ticket()
                async with websockets.connect(self._ws_url(ticket), max_size=2**22) as ws:
                    self._ws = ws
                    self.connections += 1
                    await self._on_connected()
                    await self._read(ws)
            except asyncio.CancelledError:
                raise
            except websockets.ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                log.info("connection closed (%s)", code)
                if code in FATAL_CLOSE_CODES:
                    self._frames.put_nowait({"type": "closed", "code": code})
                    return
            except Exception as exc:  # noqa: BLE001 - any failure: back off and reconnect
                log.info("connection failed: %s", exc)
            self.connected.clear()
            self._attempt += 1
            # Full jitter: spread a reconnect storm over the whole window.
            await asyncio.sleep(random.uniform(0, min(self.max_backoff, 0.25 * 2**self._attempt)))

    async def _on_connected(self) -> None:
        for topic in list(self.last_seq):
            await self._send_subscribe(topic)
        self.connected.set()

    async def _send_subscribe(self, topic: str) -> None:
        frame: dict[str, Any] = {"op": "subscribe", "topic": topic}
        if self.last_seq.get(topic) is not None:
            frame["since"] = self.last_seq[topic]
        await self.send(frame)

    async def _read(self, ws) -> None:
        pinger = asyncio.create_task(self._ping(ws))
        try:
            async for raw in ws:
                await self._handle(json.loads(raw))
        finally:
            pinger.cancel()

    async def _ping(self, ws) -> None:
        while True:
            await asyncio.sleep(self.ping_seconds)
            await ws.send(json.dumps({"op": "ping"}))

    async def _handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        topic = frame.get("topic", "")  # every frame this handles names one
        if kind == "event":
            await self._handle_event(topic, frame)
        elif kind == "subscribed":
            self._resyncing.discard(topic)
            self._attempt = 0  # authenticated and served: the next drop starts a fresh backoff
            if topic.startswith("user:") and self.user_id is None:
                self.user_id = int(topic.split(":")[1])
            if not frame["recovered"]:
                self._frames.put_nowait({"type": "reset", "topic": topic, "seq": frame["seq"]})
            if topic in self.last_seq and (not frame["recovered"] or self.last_seq[topic] is None):
                self.last_seq[topic] = frame["seq"]
            self._frames.put_nowait(frame)
        elif kind == "unsubscribed":
            if frame.get("reason") == "revoked":
                self.last_seq.pop(topic, None)
            self._frames.put_nowait(frame)
        elif kind not in ("pong", "heartbeat"):
            self._frames.put_nowait(frame)

    async def _handle_event(self, topic: str, frame: dict[str, Any]) -> None:
        if topic not in self.last_seq:
            if not topic.startswith("user:"):
                return
            self.last_seq[topic] = None  # the server subscribed us to our own topic
        last = self.last_seq[topic]
        seq = frame["seq"]
        if last is not None and seq <= last:
            return  # duplicate
        if last is not None and seq > last + 1:
            # A gap: ask for a replay from what we have; the replay brings the missing events.
            if topic not in self._resyncing:
                self._resyncing.add(topic)
                await self._send_subscribe(topic)
            return
        self.last_seq[topic] = seq
        self._frames.put_nowait(frame)
