"""Operations tests: a Redis of the test's own (to stop and start it), metric scraping."""

import time
from collections import defaultdict

import httpx
import pytest
import redis
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.live import OPERATOR, ThrowawayRedis
from tests.realtime.conftest import trip  # noqa: F401 - fixture


@pytest.fixture
def throwaway_redis():
    server = ThrowawayRedis().start()
    yield server
    if server.up():
        server.stop()


def scrape(base_url: str) -> dict[tuple[str, tuple], float]:
    """GET /metrics → {(sample name, sorted labels): value}."""
    response = httpx.get(f"{base_url}/metrics", headers=OPERATOR, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    values: dict[tuple[str, tuple], float] = defaultdict(float)
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] += sample.value
    return values


def total(values: dict, name: str, **labels: str) -> float:
    """Sum of a metric's samples whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in values.items() if n == name and wanted <= set(ls))


def worker_heartbeat(url: str) -> None:
    """What a Celery worker writes (planpal.ops.heartbeat), for servers on another Redis."""
    client = redis.Redis.from_url(url)
    client.zadd(settings.REDIS_KEY_PREFIX + "workers", {"test-worker": time.time()})
    client.close()
