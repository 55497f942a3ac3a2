"""Background-work tests reuse the end-to-end fixtures (a server process, realtime clients)."""

from tests.realtime.conftest import connect, server  # noqa: F401 - fixtures
