"""The bus carries committed events and ephemeral signals (typing) from any process to the hubs.

A bus message is `"<seq> <revoked>\n<frame>"` for an event (revoked = "", "*" or a user id, see
planpal.core.events.revoked_by) and `"- <origin>\n<frame>"` for an ephemeral frame, so a hub can
order, dedupe and revoke without parsing the JSON frame it forwards.

With REDIS_URL the bus is Redis pub/sub, one channel per topic. Without it (embedded mode) it is
the in-process hub itself.
"""

import logging
from collections.abc import Callable

import redis
from django.conf import settings

from planpal.core import redis_clients

log = logging.getLogger(__name__)

CHANNEL_PREFIX = settings.REDIS_KEY_PREFIX  # channels, presence keys and locks
_client: redis.Redis | None = None
Sink = Callable[[list[tuple[str, str]]], None]
_embedded_sink: Sink | None = None


def channel_for(topic: str) -> str:
    return CHANNEL_PREFIX + topic


def topic_of(channel: str) -> str:
    return channel[len(CHANNEL_PREFIX) :]


def event_message(seq: int, revoked: str, frame: str) -> str:
    return f"{seq} {revoked}\n{frame}"


def ephemeral_message(origin: str, frame: str) -> str:
    return f"- {origin}\n{frame}"


def redis_client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis_clients.client(
            socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )
    return _client


def use_embedded_sink(sink: Sink) -> None:
    """Embedded mode: the process's hub registers itself as the bus (`hub.post_threadsafe`)."""
    global _embedded_sink
    _embedded_sink = sink


class NoHubHere(RuntimeError):
    """Embedded mode in a process without a hub (a management command): the web process's
    sweeper publishes these events."""


def send(messages: list[tuple[str, str]]) -> None:
    """Publish (topic, message) pairs. Raises on failure: the caller keeps rows for the sweeper."""
    if settings.REDIS_URL:
        pipe = redis_client().pipeline(transaction=False)
        for topic, message in messages:
            pipe.publish(channel_for(topic), message)
        pipe.execute()
        return
    if _embedded_sink is None:
        raise NoHubHere("no hub in this process")
    _embedded_sink(messages)
