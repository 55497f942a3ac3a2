"""Who may open a live connection, and when: one path for the WebSocket and the SSE stream.

1. The address. A handshake refused for its credential (no ticket or session, a bad, expired or
   used ticket, a bad token) is charged to its client address's budget; an address that has
   used it up is refused before its credential is even read. Bogus handshakes cost little and
   spend nobody else's budget.
2. The credential (the transport's part: a ticket or the session cookie, a bearer token).
3. The user's cap: live connections of one user across all processes, WebSockets and SSE
   streams together (`Presence.take_slot`).
4. The process keeps up, asked only of connections that pass 1-3: while its event loop runs
   more than CONNECT_MAX_LAG_MS behind, new connections are shed (and, if set, beyond a fixed
   CONNECT_RATE). A reconnect storm is admitted as fast as this machine can take it, whatever
   the machine, and the live connections' frames do not queue behind its handshakes; an
   anonymous flood is refused at 1-2 without taking a real user's turn.

Budgets 1 and 4 are this process's memory, like the connections they protect. Budget 1 is a
rate limit per client address, like the API's: RATE_LIMITS=off turns it off with them.
"""

import asyncio
import ipaddress
import math
import time
from collections import OrderedDict

from django.conf import settings

from planpal.core.asgi_types import Scope

# Why a connection was not admitted (the transports map them to a close code or HTTP status).
ADDRESS_THROTTLED = "address_throttled"
BUSY = "busy"
TOO_MANY_CONNECTIONS = "too_many_connections"

MAX_ADDRESSES = 10_000  # addresses whose refusals are remembered (least recently refused go)


class HandshakeRefused(Exception):
    """Base of the transports' refusals of a handshake. `charges_address`: refused for its
    credential (not, say, because the database is down), so its address pays for it."""

    charges_address = True


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def has(self) -> bool:
        self._refill()
        return self.tokens >= 1

    def wait_seconds(self) -> int:
        """Whole seconds until there is a token again (for Retry-After)."""
        self._refill()
        return max(1, math.ceil((1 - self.tokens) / self.rate)) if self.rate else 60


LAG_PROBE_SECONDS = 0.05


class LoopLag:
    """How far behind its schedule the event loop runs: a timer due every 50 ms notes how late
    it fired, and a timer overdue right now counts as late already (the loop is in the middle of
    a long turn, such as a burst of handshakes)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.late = 0.0
        self.due = loop.time() + LAG_PROBE_SECONDS
        loop.call_at(self.due, self._probe)

    def _probe(self) -> None:
        now = self.loop.time()
        self.late = now - self.due
        self.due = now + LAG_PROBE_SECONDS
        self.loop.call_at(self.due, self._probe)

    def seconds(self) -> float:
        return max(self.late, self.loop.time() - self.due)


_loop_lag: LoopLag | None = None
_connect_bucket: TokenBucket | None = None


def loop_lag() -> float:
    """Seconds the running event loop is behind (0 until its probe has run once)."""
    global _loop_lag
    loop = asyncio.get_running_loop()
    if _loop_lag is None or _loop_lag.loop is not loop:  # a new loop (tests run several)
        _loop_lag = LoopLag(loop)
    return _loop_lag.seconds()


def connect_bucket() -> TokenBucket | None:
    """The optional fixed cap (REALTIME CONNECT_RATE / CONNECT_BURST; rate 0: none)."""
    global _connect_bucket
    if not settings.REALTIME["CONNECT_RATE"]:
        return None
    if _connect_bucket is None:
        config = settings.REALTIME
        _connect_bucket = TokenBucket(config["CONNECT_RATE"], config["CONNECT_BURST"])
    return _connect_bucket


def connect_shed() -> str | None:
    """Step 4 for a connection that passed 1-3: None if it is admitted, else why it is shed
    (the metrics label): "loop_lag" or "connect_rate"."""
    max_lag_ms = settings.REALTIME["CONNECT_MAX_LAG_MS"]
    if max_lag_ms and loop_lag() * 1000 > max_lag_ms:
        return "loop_lag"
    bucket = connect_bucket()
    if bucket is not None and not bucket.take():
        return "connect_rate"
    return None


def connect_retry_after() -> int:
    bucket = connect_bucket()
    return 1 if bucket is None else bucket.wait_seconds()


# ---------------------------------------------------------------------------- per address
_refusals: OrderedDict[str, TokenBucket] = OrderedDict()


def client_address(scope: Scope) -> str:
    """The peer (uvicorn has applied X-Forwarded-For from trusted proxies, FORWARDED_ALLOW_IPS).
    An IPv6 client is its /64: one host holds a whole /64 and could rotate through it."""
    host = (scope.get("client") or ("unknown", 0))[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _bucket(address: str) -> TokenBucket | None:
    """The address's bucket, if it was refused lately."""
    bucket = _refusals.get(address)
    if bucket is not None:
        _refusals.move_to_end(address)
    return bucket


def _bucket_made(address: str) -> TokenBucket:
    bucket = _bucket(address)
    if bucket is None:
        config = settings.REALTIME
        bucket = _refusals[address] = TokenBucket(
            config["REFUSED_CONNECT_RATE"], config["REFUSED_CONNECT_BURST"]
        )
        if len(_refusals) > MAX_ADDRESSES:
            _refusals.popitem(last=False)
    return bucket


def _address_limited() -> bool:
    return settings.RATE_LIMITS_ENABLED and bool(settings.REALTIME["REFUSED_CONNECT_RATE"])


def address_retry_after(scope: Scope) -> int | None:
    """None if the address may try a credential; else the seconds until it may again."""
    if not _address_limited():
        return None
    bucket = _bucket(client_address(scope))
    return None if bucket is None or bucket.has() else bucket.wait_seconds()


def charge_refusal(scope: Scope) -> None:
    """The handshake was refused for its credential: the address pays for it."""
    if _address_limited():
        _bucket_made(client_address(scope)).take()


def reset() -> None:
    """Forget every budget (tests; settings changed)."""
    global _connect_bucket, _loop_lag
    _connect_bucket = _loop_lag = None
    _refusals.clear()
