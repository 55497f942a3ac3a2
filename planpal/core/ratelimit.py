"""Rate limits: fixed windows counted atomically in Redis (one INCR + EXPIRE script), or in this
process's memory in embedded mode; plus the DRF throttle that applies them to the REST API.

Every API request counts against `user` (per authenticated user) and `ip` (per client address).
Endpoints an attacker would hammer have stricter limits of their own (SCOPED, by URL name):
credentials per IP and per account tried, registration per IP, WebSocket tickets per user,
password changes per user, password-reset mails per IP and per address,
invite acceptance per user and IP. Over a limit: 429 in the API's error shape with Retry-After.
The admin's login form counts against the same credential limits (planpal.core.adminsite).

The per-account limit is the login lockout. It is keyed by the account the typed name resolves
to, the way authentication looks it up (a name in another case, width or — on MariaDB's
accent-insensitive collation — with accents reaches the same account and the same count), and
by the normalised name when there is no such account.

Redis down: limits fail open (requests pass) with one logged warning per outage, counted in
planpal_redis_failures_total{component="ratelimit"}.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.throttling import BaseThrottle

from planpal.core import metrics

if TYPE_CHECKING:  # imported at run time, these would load models before the app registry
    from django.http import HttpRequest
    from rest_framework.request import Request
    from rest_framework.views import APIView

log = logging.getLogger(__name__)

# URL name → the extra limits of that endpoint (names in settings.RATE_LIMITS).
SCOPED: dict[str, tuple[str, ...]] = {
    "auth-token": ("login_ip", "login_username"),
    "auth-login": ("login_ip", "login_username"),
    "auth-register": ("register_ip",),
    "realtime-ticket": ("ticket_user",),
    "invite-accept": ("invite_accept_user", "invite_accept_ip"),
    "upload-create": ("upload_user",),
    "places-search": ("places_user",),
    "me-password": ("password_user",),
    "auth-password-reset": ("password_reset_ip", "password_reset_email"),
    "auth-password-reset-confirm": ("password_reset_ip",),
}
DEFAULT_LIMITS = ("user", "ip")
REDIS_RETRY_AFTER_SECONDS = 5.0  # after a Redis failure, skip it (fail open) this long

_INCR = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, seconds = text.partition("/")
        rate = cls(int(count), int(seconds or 1))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"bad rate {text!r}: use <count>/<seconds>")
        return rate


def rate_of(limit: str) -> Rate:
    return Rate.parse(settings.RATE_LIMITS[limit])


# ---------------------------------------------------------------------------- counters
class MemoryCounter:
    """Embedded mode: one process, so a dict under a lock is atomic."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.windows: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, seconds: int) -> tuple[int, float]:
        now = time.monotonic()
        with self.lock:
            count, ends = self.windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + seconds
                if len(self.windows) > 100_000:  # drop finished windows now and then
                    self.windows = {k: v for k, v in self.windows.items() if v[1] > now}
            self.windows[key] = (count + 1, ends)
            return count + 1, ends - now

    def reset(self) -> None:
        with self.lock:
            self.windows.clear()


class RedisCounter:
    def __init__(self) -> None:
        from planpal.core import redis_clients

        self.client = redis_clients.client(socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(_INCR)
        self.down_until = 0.0

    def hit(self, key: str, seconds: int) -> tuple[int, float] | None:
        if time.monotonic() < self.down_until:
            return None
        try:
            count, ttl = self.script(keys=[key], args=[seconds])
        except Exception as exc:  # noqa: BLE001 - fail open: an outage must not stop the API
            metrics.redis_failures.labels("ratelimit").inc()
            if self.down_until == 0.0:
                log.warning("rate limits off while Redis is unreachable: %s", exc)
            self.down_until = time.monotonic() + REDIS_RETRY_AFTER_SECONDS
            return None
        if self.down_until:
            log.info("rate limits back on: Redis reachable again")
            self.down_until = 0.0
        return int(count), float(ttl)

    def reset(self) -> None:
        for key in self.client.scan_iter(match=_prefix() + "*", count=1000):
            self.client.delete(key)


_counter: MemoryCounter | RedisCounter | None = None
_counter_lock = threading.Lock()


def _prefix() -> str:
    return settings.REDIS_KEY_PREFIX + "rl:"


def counter() -> MemoryCounter | RedisCounter:
    global _counter
    with _counter_lock:
        if _counter is None:
            _counter = RedisCounter() if settings.REDIS_URL else MemoryCounter()
        return _counter


def reset() -> None:
    """Forget every count (tests)."""
    counter().reset()


def hit(limit: str, identity: str) -> float | None:
    """Count one use of `limit` by `identity`; the seconds to wait when it is over the limit."""
    rate = rate_of(limit)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
    result = counter().hit(f"{_prefix()}{limit}:{digest}", rate.seconds)
    if result is None:
        return None
    count, remaining = result
    if count <= rate.count:
        return None
    metrics.rate_limited.labels(limit).inc()
    return max(1.0, math.ceil(remaining))


# ---------------------------------------------------------------------------- DRF
def client_ip(request: HttpRequest | Request) -> str:
    """The peer address (uvicorn has already applied X-Forwarded-For from trusted proxies, see
    FORWARDED_ALLOW_IPS)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _identity(limit: str, request: HttpRequest | Request) -> str | None:
    if limit.endswith("ip"):
        return "ip:" + client_ip(request)
    if limit.endswith("user"):
        user = request.user
        return f"user:{user.pk}" if user is not None and user.is_authenticated else None
    if limit.endswith("email"):
        data = getattr(request, "data", request.POST)
        email = data.get("email") if hasattr(data, "get") else None
        return "email:" + email.strip().lower() if isinstance(email, str) else None
    if limit.endswith("username"):
        data = getattr(request, "data", request.POST)  # DRF's parsed body, or a form's
        username = data.get("username") if hasattr(data, "get") else None
        return account_identity(username) if isinstance(username, str) else None
    raise ValueError(f"no identity for rate limit {limit!r}")


def account_identity(username: str) -> str:
    """The lockout key of a typed username: the account it signs in to, else the name itself."""
    users = get_user_model()
    try:
        return f"account:{users._default_manager.get_by_natural_key(username).pk}"
    except (users.DoesNotExist, users.MultipleObjectsReturned):
        return f"username:{users.normalize_username(username.strip())}"


def check(request: HttpRequest | Request, limits: tuple[str, ...]) -> float | None:
    """Count the request against each limit; the seconds to wait when any is exceeded."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    waits = []
    for limit in limits:
        identity = _identity(limit, request)
        if identity is not None:
            wait = hit(limit, identity)
            if wait is not None:
                waits.append(wait)
    return max(waits) if waits else None


class RateLimitThrottle(BaseThrottle):
    """The one throttle of the API (settings.REST_FRAMEWORK)."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        match = getattr(request, "resolver_match", None)
        limits = DEFAULT_LIMITS + SCOPED.get(getattr(match, "url_name", None) or "", ())
        self.retry_after = check(request, limits)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after
