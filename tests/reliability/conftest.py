"""Reliability tests reuse the end-to-end fixtures."""

from tests.realtime.conftest import connect, server, trip  # noqa: F401 - fixtures
