"""`make install` never removes what another mode needs (issue 13 item 18): after a MariaDB run
installed the MySQL driver, an embedded `make run`/`make test` (no DATABASE_URL) used to sync it
away, and the next MariaDB run failed."""

import os
import subprocess

import pytest

from tests.live import ROOT


def make_install(venv, **env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    environment.update(UV_PROJECT_ENVIRONMENT=str(venv), **env)
    result = subprocess.run(
        ["make", "install"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def has_mysql_driver(venv) -> bool:
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import MySQLdb"], timeout=60)
    return probe.returncode == 0


@pytest.mark.slow
def test_an_embedded_install_keeps_the_mysql_driver(tmp_path):
    venv = tmp_path / "venv"  # a virtualenv of its own: the suite's own is left alone
    make_install(venv, DATABASE_URL="mysql://root@127.0.0.1:3306/planpal")
    assert has_mysql_driver(venv)
    make_install(venv)  # what `make run` and `make test` do first without DATABASE_URL
    assert has_mysql_driver(venv)
    assert (venv / "bin" / "planpal").exists()  # and the project itself is installed
