"""Calendar fixtures: the shared "Lisbon trip" (tests/conftest.py), whose `trip_plan` here has two
activities, one of them with a place."""

from decimal import Decimal

import pytest

from planpal.plans.models import Plan
from tests.plans.factories import make_activity


@pytest.fixture
def trip_plan(trip_plan) -> Plan:
    make_activity(
        trip_plan.creator,
        trip_plan,
        start_hour=2,
        title="Tram 28",
        location_name="Martim Moniz",
        location_address="Praça Martim Moniz, Lisboa",
        lat=Decimal("38.716500"),
        lng=Decimal("-9.136000"),
    )
    make_activity(
        trip_plan.creator,
        trip_plan,
        start_hour=6,
        title="Dinner",
        kind="food",
        notes="Book a table",
    )
    return trip_plan
