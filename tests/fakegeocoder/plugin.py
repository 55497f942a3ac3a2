"""The `fake_geocoder` fixture. Wire it in with `pytest_plugins = ["tests.fakegeocoder.plugin"]`."""

import pytest

from tests.fakegeocoder.server import FakeGeocoder


@pytest.fixture
def fake_geocoder(settings):
    """A running FakeGeocoder on a free loopback port, and GEOCODER_URL pointing at it."""
    with FakeGeocoder() as server:
        settings.GEOCODER_URL = server.url
        yield server
