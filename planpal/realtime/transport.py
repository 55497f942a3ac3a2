"""The hub's Redis pub/sub connection (production mode): subscriptions confirmed by Redis before
a topic counts as live, reconnection with backoff, and a catch-up from the event log for every
topic resubscribed after an outage."""

import asyncio
import logging
import secrets
from collections.abc import Collection, Coroutine
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from planpal.core import redis_clients
from planpal.realtime import bus

log = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 2.0
CONTROL_CHANNEL = bus.CHANNEL_PREFIX + "_hub"


class Receiver(Protocol):
    """What the transport feeds: the hub."""

    loop: asyncio.AbstractEventLoop

    @property
    def topics(self) -> Collection[str]: ...

    def receive(self, topic: str, message: str) -> None: ...

    async def catch_up(self, topic: str) -> None: ...

    def spawn(self, coro: Coroutine[Any, Any, object]) -> None: ...


def command_client() -> Redis:
    """Redis for commands (publish, presence, locks, tickets): every call times out."""
    return redis_clients.async_client(socket_connect_timeout=2, socket_timeout=2)


class RedisTransport:
    """One Redis pub/sub connection per process; reconnects with backoff and catches up."""

    def __init__(self, receiver: Receiver, client: Redis) -> None:
        self.receiver = receiver
        self.client = client
        # The subscription connection waits for messages as long as it takes: a client of its
        # own, without a read timeout.
        self.subscriber = redis_clients.async_client(socket_connect_timeout=2)
        self.pubsub: PubSub | None = None
        self.connected = False
        self.confirmations: dict[str, list[asyncio.Future[bool]]] = {}
        self.pings: dict[str, asyncio.Future[bool]] = {}

    async def subscribe(self, *topics: str) -> None:
        """Returns once Redis confirmed the subscriptions: every publish after this reaches us.
        While disconnected it returns at once; the reconnect resubscribes and catches up."""
        if not self.connected or self.pubsub is None or not topics:
            return
        waiting = []
        for topic in topics:
            confirmed = self.receiver.loop.create_future()
            self.confirmations.setdefault(topic, []).append(confirmed)
            waiting.append(confirmed)
        try:
            await self.pubsub.subscribe(*(bus.channel_for(topic) for topic in topics))
            await asyncio.wait_for(asyncio.gather(*waiting), READY_TIMEOUT_SECONDS)
        except Exception as exc:  # noqa: BLE001 - the reconnect loop resubscribes everything
            log.warning("subscribe of %d topic(s) not confirmed: %s", len(topics), exc)

    async def unsubscribe(self, topic: str) -> None:
        if self.connected and self.pubsub is not None and topic not in self.receiver.topics:
            try:
                await self.pubsub.unsubscribe(bus.channel_for(topic))
            except Exception as exc:  # noqa: BLE001
                log.warning("unsubscribe %s failed: %s", topic, exc)

    async def round_trip(self, timeout: float) -> None:
        """Readiness: publish on the control channel and wait for our own listener to hear it."""
        if not self.connected:
            raise ConnectionError("bus not connected")
        token = secrets.token_hex(8)
        heard = self.pings[token] = self.receiver.loop.create_future()
        try:
            await self.client.publish(CONTROL_CHANNEL, "ping " + token)
            await asyncio.wait_for(heard, timeout)
        finally:
            self.pings.pop(token, None)

    async def close(self) -> None:
        for connection in (self.client, self.subscriber):
            try:
                await connection.aclose()
            except Exception as exc:  # noqa: BLE001 - the process is stopping anyway
                log.warning("closing a redis connection failed: %s", exc)

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
        resubscribed = set(self.receiver.topics)
        await self.pubsub.subscribe(
            CONTROL_CHANNEL, *(bus.channel_for(topic) for topic in resubscribed)
        )
        self.connected = True
        while True:
            message = await self.pubsub.get_message(timeout=5.0)
            if message is None:
                continue
            channel = message["channel"].decode()
            if channel == CONTROL_CHANNEL:
                self._heard(message["data"])
                continue
            topic = bus.topic_of(channel)
            kind = message["type"]
            kind = kind.decode() if isinstance(kind, bytes) else kind
            if kind == "message":
                self.receiver.receive(topic, message["data"].decode())
            elif kind == "subscribe":
                for confirmed in self.confirmations.pop(topic, []):
                    if not confirmed.done():
                        confirmed.set_result(True)
                if topic in resubscribed:
                    resubscribed.discard(topic)
                    self.receiver.spawn(self.receiver.catch_up(topic))

    def _heard(self, data: object) -> None:
        if isinstance(data, bytes) and data.startswith(b"ping "):
            heard = self.pings.get(data[5:].decode())
            if heard is not None and not heard.done():
                heard.set_result(True)
