"""Operations tests: a Redis of the test's own (to stop and start it), metric scraping."""

import contextlib
import subprocess
import time
from collections import defaultdict

import httpx
import pytest
import redis
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.live import free_port


class ThrowawayRedis:
    """A redis-server on a free port, never the shared one: tests may stop it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)

    def start(self) -> "ThrowawayRedis":
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                f"/tmp/planpal-test-redis-{self.port}.pid",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self._wait(up=True)
        return self

    def stop(self) -> None:
        # Shutting down closes the connection: that error is the success case.
        with contextlib.suppress(redis.ConnectionError):
            self.client.shutdown(nosave=True)
        self._wait(up=False)

    def up(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.ConnectionError:
            return False

    def _wait(self, *, up: bool) -> None:
        deadline = time.monotonic() + 10
        while self.up() != up:
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis on {self.port} did not come {'up' if up else 'down'}")
            time.sleep(0.05)


@pytest.fixture
def throwaway_redis():
    server = ThrowawayRedis().start()
    yield server
    if server.up():
        server.stop()


def scrape(base_url: str) -> dict[tuple[str, tuple], float]:
    """GET /metrics → {(sample name, sorted labels): value}."""
    response = httpx.get(f"{base_url}/metrics", timeout=10)
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
    """What a Celery worker writes (planpal.core.heartbeat), for servers on another Redis."""
    client = redis.Redis.from_url(url)
    client.zadd(settings.REDIS_KEY_PREFIX + "workers", {"test-worker": time.time()})
    client.close()
