"""With REDIS_SENTINELS every Redis client of a process goes through the Sentinels: the cache
(django-redis' Sentinel factory), the Celery broker (kombu's sentinel:// transport), and the
clients of planpal.core.redis_clients (bus, hub, presence, tickets, rate limits, health). The
settings are read in a fresh process, as a deployment would. (The failover itself, with real
processes: tests/reliability/test_redis_sentinel.py.)"""

import json
import subprocess
import sys

from tests.live import ROOT

PROBE = """
import json, django
django.setup()
from django.conf import settings
from planpal.core import redis_clients
sync, asynchronous = redis_clients.client(), redis_clients.async_client()
cache = settings.CACHES["default"]
print(json.dumps({
    "embedded": settings.EMBEDDED,
    "cache_location": cache["LOCATION"],
    "cache_factory": cache["OPTIONS"].get("CONNECTION_FACTORY"),
    "cache_sentinels": cache["OPTIONS"].get("SENTINELS"),
    "broker": settings.CELERY_BROKER_URL,
    "broker_master": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("master_name"),
    "pools": [type(c.connection_pool).__name__ for c in (sync, asynchronous)],
    "services": [getattr(c.connection_pool, "service_name", None) for c in (sync, asynchronous)],
    "db": [c.connection_pool.connection_kwargs.get("db") for c in (sync, asynchronous)],
    "password": [c.connection_pool.connection_kwargs.get("password") for c in (sync, asynchronous)],
}))
"""


def settings_with(**env: str) -> dict:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "planpal-tests-only-secret-key-not-for-production",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_redis_client_goes_through_the_sentinels():
    seen = settings_with(
        REDIS_SENTINELS="127.0.0.1:26379, 127.0.0.1:26380,127.0.0.1:26381",
        REDIS_SENTINEL_MASTER="trips",
        REDIS_URL="redis://:s3cret@ignored-host:6379/2",
    )
    assert seen["embedded"] is False
    assert seen["cache_location"] == "redis://:s3cret@trips/2"  # the host names the primary
    assert seen["cache_factory"] == "django_redis.pool.SentinelConnectionFactory"
    assert seen["cache_sentinels"] == [
        ["127.0.0.1", 26379],
        ["127.0.0.1", 26380],
        ["127.0.0.1", 26381],
    ]
    assert seen["broker"] == (
        "sentinel://:s3cret@127.0.0.1:26379/2;sentinel://:s3cret@127.0.0.1:26380/2;"
        "sentinel://:s3cret@127.0.0.1:26381/2"
    )
    assert seen["broker_master"] == "trips"
    assert seen["pools"] == ["SentinelConnectionPool", "SentinelConnectionPool"]
    assert seen["services"] == ["trips", "trips"]
    assert seen["db"] == [2, 2]
    assert seen["password"] == ["s3cret", "s3cret"]


def test_sentinels_alone_mean_production_mode_on_database_zero():
    seen = settings_with(REDIS_SENTINELS="127.0.0.1:26379", REDIS_SENTINEL_MASTER="trips")
    assert seen["embedded"] is False
    assert seen["cache_location"] == "redis://trips/0"
    assert seen["broker"] == "sentinel://127.0.0.1:26379/0"
    assert seen["db"] == [0, 0]


def test_without_sentinels_the_clients_use_redis_url():
    seen = settings_with(REDIS_URL="redis://127.0.0.1:6390/3")
    assert seen["cache_factory"] is None
    assert seen["broker"] == "redis://127.0.0.1:6390/3"
    assert seen["pools"] == ["ConnectionPool", "ConnectionPool"]
    assert seen["db"] == [3, 3]
