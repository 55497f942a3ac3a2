"""A Redis Sentinel group of the test's own on loopback: a primary, a replica and three
`redis-sentinel` processes (Debian's redis-sentinel package), on free ports, never the shared
Redis. The test may kill the primary; the Sentinels then promote the replica."""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.live import free_port

MASTER_NAME = "planpal-test"


def require_sentinel_binaries() -> None:
    missing = [name for name in ("redis-server", "redis-sentinel") if not shutil.which(name)]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} (Debian packages redis-server, redis-sentinel)"
    if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
        pytest.fail(f"PLANPAL_REQUIRE_SERVICES is set but this test {reason}")
    pytest.skip(reason)


class SentinelGroup:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.primary_port, self.replica_port = free_port(), free_port()
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def env(self) -> dict[str, str]:
        """What a PlanPal process needs to reach Redis through these Sentinels."""
        return {
            "REDIS_SENTINELS": ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports),
            "REDIS_SENTINEL_MASTER": MASTER_NAME,
            "REDIS_URL": f"redis://{MASTER_NAME}/0",
        }

    def start(self) -> "SentinelGroup":
        self._server("primary", self.primary_port)
        primary = str(self.primary_port)
        self._server("replica", self.replica_port, "--replicaof", "127.0.0.1", primary)
        for index, port in enumerate(self.sentinel_ports):
            config = self.folder / f"sentinel-{index}.conf"
            config.write_text(
                f"port {port}\nbind 127.0.0.1\nprotected-mode no\ndir {self.folder}\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.primary_port} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} 1000\n"
                f"sentinel failover-timeout {MASTER_NAME} 10000\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n"
            )
            self._spawn(f"sentinel-{index}", "redis-sentinel", str(config))
        self._wait_until_ready()
        return self

    def _server(self, name: str, port: int, *extra: str) -> None:
        self._spawn(
            name, "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.folder), *extra,
        )  # fmt: skip

    def _spawn(self, name: str, *command: str) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def client(self, port: int) -> redis.Redis:
        return redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1)

    def _wait_until_ready(self) -> None:
        """The replica in sync, and every Sentinel knowing the replica and the two others (a
        failover needs a majority of them to agree)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                synced = self.client(self.replica_port).info("replication")
                if synced.get("master_link_status") == "up" and all(
                    len(self._ask(port, "REPLICAS")) == 1 and len(self._ask(port, "SENTINELS")) == 2
                    for port in self.sentinel_ports
                ):
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the sentinel group did not form; logs in {self.folder}")

    def _ask(self, port: int, what: str) -> list:
        # Raw: redis-py's parser of these answers does not run on every version.
        return self.client(port).execute_command("SENTINEL", what, MASTER_NAME)

    def primary(self) -> int | None:
        """The primary's port as the Sentinels' majority names it (None if they disagree)."""
        answers = []
        for port in self.sentinel_ports:
            with contextlib.suppress(redis.RedisError):
                address = self._ask(port, "GET-MASTER-ADDR-BY-NAME")
                answers.append(int(address[1]) if address else None)
        best = max(set(answers), key=answers.count) if answers else None
        return best if answers.count(best) >= 2 else None

    def kill_primary(self) -> None:
        """SIGKILL, like a lost machine: no shutdown, no goodbye to the replica."""
        process = self.processes["primary"]
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
