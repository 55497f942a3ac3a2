"""Real server processes for end-to-end tests: `planpal web` (uvicorn) on a free loopback port,
sharing the test database (and Redis, when REDIS_URL is set)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from tests.conftest import FAST_PASSWORD_HASHER

ROOT = Path(__file__).resolve().parent.parent


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
        # The hasher the tests use (tests/conftest.py), so users they create can log in here.
        PASSWORD_HASHERS=FAST_PASSWORD_HASHER,
    )
    env.update(extra)
    return env


class LiveServer:
    def __init__(self, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = child_env(**env)
        self.process: subprocess.Popen | None = None
        self.log_path = Path(settings.DATA_DIR) / f"server-{self.port}.log"

    def start(self) -> "LiveServer":
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planpal.cli", "web", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
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
