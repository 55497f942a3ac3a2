"""Checklist fixtures: the polls' "Lisbon trip" group and bob's plan there."""

from tests.polls.conftest import as_, trip, trip_plan  # noqa: F401
