"""The `fake_fcm` fixture. Wire it in with `pytest_plugins = ["tests.fakefcm.plugin"]`."""

import pytest

from tests.fakefcm.server import FakeFcm


@pytest.fixture
def fake_fcm():
    """A running FakeFcm on a free port of 127.0.0.1: `.url`, `.token_uri`, `.received`,
    `.sends`, `.script(token, [replies])`, `.write_service_account(path)`."""
    with FakeFcm() as server:
        yield server
