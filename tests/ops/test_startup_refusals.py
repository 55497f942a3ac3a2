"""Configurations PlanPal refuses to start with (issue 13 items 1 and 19): the public demo
SECRET_KEY outside the embedded default, short keys, and demo users on a production-like start.
Each refusal is checked on a real process, the way an operator would meet it."""

import os
import subprocess
import sys

import pytest

from planpal.accounts.models import User
from tests.live import ROOT, LiveServer, free_port

# What a fresh shell has: no SECRET_KEY, no services, nothing PlanPal reads.
CLEARED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "HOST", "DEBUG", "PLANPAL_DATA_DIR")
GOOD_KEY = "a-deployment-key-that-is-long-enough-0123456789"


def fresh_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(extra)
    return env


def load_settings(**extra: str) -> subprocess.CompletedProcess:
    """Import the settings in a new interpreter, as every PlanPal process does first (the
    database driver is not loaded: the refusal comes before it is needed)."""
    code = "import config.settings; print('started')"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=fresh_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_embedded_default_starts_with_no_environment_at_all():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "env",
    [
        # The hole found from outside: MariaDB without Redis ran on the demo key, so anyone
        # could sign a JWT for any account.
        {"DATABASE_URL": "mysql://planpal@127.0.0.1:3306/planpal"},
        {"DATABASE_URL": "postgres://planpal@127.0.0.1:5432/planpal"},
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        {"HOST": "0.0.0.0"},
        {"DATABASE_URL": "sqlite:////tmp/planpal-elsewhere.sqlite3"},
        # DEBUG used to lift the check.
        {"DATABASE_URL": "mysql://planpal@127.0.0.1:3306/planpal", "DEBUG": "true"},
    ],
    ids=["mysql", "postgres", "redis", "public-host", "sqlite-outside-data-dir", "debug"],
)
def test_the_demo_key_is_refused_outside_the_embedded_default(env):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY is not set" in result.stderr
    # The same combination with a key of its own starts.
    assert load_settings(**env, SECRET_KEY=GOOD_KEY).returncode == 0


def test_a_short_secret_key_is_refused_everywhere():
    for env in ({}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}):
        result = load_settings(SECRET_KEY="short-key-31-bytes-long-0123456", **env)
        assert result.returncode != 0
        assert "at least 32 bytes" in result.stderr


def test_planpal_web_on_a_public_address_refuses_the_demo_key():
    """`--host` reaches the settings: the command exports it before they load, and says why it
    stops in one line instead of a traceback (it never binds the port)."""
    result = subprocess.run(
        [sys.executable, "-m", "planpal.cli", "web", "--host", "0.0.0.0", "--port", "1"],
        cwd=ROOT,
        env=fresh_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.startswith("planpal: SECRET_KEY is not set"), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_production_like_start_seeds_no_demo_users(tmp_path, settings):
    """Item 19: `planpal run` seeded alice/bob/carol with the README's password on any database.
    Outside the embedded default it seeds nothing unless asked (--seed-demo)."""
    # Not the embedded default in either test mode: MariaDB + Redis, or SQLite with the data
    # directory elsewhere (the test database is then outside it).
    extra = {"PLANPAL_DATA_DIR": str(tmp_path)} if not settings.REDIS_URL else {}
    server = LiveServer("run", SECRET_KEY=GOOD_KEY, **extra).start()
    try:
        assert not User.objects.filter(username__in=["alice", "bob", "carol"]).exists()
    finally:
        server.stop()
    assert "Seeded" not in server.log_path.read_text()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_second_embedded_server_on_the_same_data_directory_is_refused(tmp_path):
    """Item 17: two `make run`s in one checkout both started; each kept its events in its own
    process, so realtime broke between them without a word. The second now refuses."""
    embedded = {
        "PLANPAL_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'planpal.sqlite3'}",
        "REDIS_URL": "",
    }
    first = LiveServer("run", **embedded).start()
    try:
        second = subprocess.run(
            [sys.executable, "-m", "planpal.cli", "run", "--port", str(free_port())],
            cwd=ROOT,
            env=first.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0
        assert second.stderr.startswith(
            f"planpal: another embedded PlanPal (pid {first.process.pid}) is already serving"
        ), second.stderr
        assert first.alive()
    finally:
        first.stop()

    # The lock dies with its holder: the next start after a stop is served.
    again = LiveServer("run", **embedded).start()
    again.stop()
