"""Real server processes for end-to-end tests: `planpal web` (uvicorn) on a free loopback port,
sharing the test database (and Redis, when REDIS_URL is set)."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import FAST_PASSWORD_HASHER

ROOT = Path(__file__).resolve().parent.parent
# Operators' token of the servers tests start: /metrics and readiness details need it.
METRICS_TOKEN = "tests-only-metrics-token"
OPERATOR = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the test database pytest-django created, for child processes."""
    db = connection.settings_dict
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    scheme = "mysql" if engine.endswith("mysql") else "postgres"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"{scheme}://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 3306}/{db['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="warning",
        OUTBOX_SWEEP_SECONDS="1",
        # Suites log in and connect far more often than people do; tests of the limits turn
        # them on (LiveServer(RATE_LIMITS="on")).
        RATE_LIMITS="off",
        # Connect shedding runs, but only for a stall no test survives anyway: on a shared 2-core
        # machine a test server's loop can fall 250 ms behind on other processes' work.
        WS_CONNECT_MAX_LAG_MS="2000",
        # The hasher the tests use (tests/conftest.py), so users they create can log in here.
        PASSWORD_HASHERS=FAST_PASSWORD_HASHER,
        METRICS_TOKEN=METRICS_TOKEN,
        # Servers started by tests have no Celery worker unless a test starts one: their fan-out
        # after commit stays in the web process (tests of the worker path set it to 1).
        FANOUT_IN_WORKER="0",
    )
    env.update(extra)
    return env


class LiveServer:
    def __init__(self, command: str = "web", **env: str) -> None:
        self.command = command  # `planpal web`, or `planpal run` (migrate, seed, serve)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = child_env(**env)
        self.process: subprocess.Popen | None = None
        self.log_path = Path(settings.DATA_DIR) / f"server-{self.port}.log"

    def start(self) -> "LiveServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone on MariaDB
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planpal.cli", self.command, "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # Generous: a loaded 2-core CI machine can take many seconds to import and start.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/health/live", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"


class CeleryProcess:
    """`planpal worker` / `planpal beat` as a real process sharing the test database and Redis."""

    def __init__(self, *args: str, **env: str) -> None:
        log_path = Path(settings.DATA_DIR) / f"celery-{os.getpid()}-{id(self)}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planpal.cli", *args],
            cwd=ROOT,
            env=child_env(**env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no acknowledgement, like a lost machine."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


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


class LoopbackProxy:
    """A TCP proxy on a free loopback port in front of one or more backends, for network faults:
    `cut()` drops every open connection and refuses new ones until `restore()`; with several
    backends, new connections are spread round-robin over the ones that accept (a load balancer
    whose health check is "does connect() succeed")."""

    def __init__(self, *backend_ports: int) -> None:
        self.port = free_port()
        self.backends = list(backend_ports)
        self.connections = 0  # accepted so far, for assertions about where clients went
        self._next = 0
        self._cut = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> "LoopbackProxy":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(5)
        return self

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def cut(self) -> None:
        asyncio.run_coroutine_threadsafe(self._drop_all(), self._loop).result(5)

    def restore(self) -> None:
        self._cut = False

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _drop_all(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _open_backend(self):
        for _ in range(len(self.backends)):
            port = self.backends[self._next % len(self.backends)]
            self._next += 1
            with contextlib.suppress(OSError):
                return await asyncio.open_connection("127.0.0.1", port)
        return None

    async def _serve(self, client_reader, client_writer) -> None:
        backend = None if self._cut else await self._open_backend()
        if backend is None:
            client_writer.transport.abort()
            return
        self.connections += 1
        backend_reader, backend_writer = backend
        self._writers.update((client_writer, backend_writer))
        await asyncio.gather(
            self._pipe(client_reader, backend_writer), self._pipe(backend_reader, client_writer)
        )

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()
