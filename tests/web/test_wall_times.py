"""The web client reads wall-clock times in a plan's zone by the server's rule (issue 13 #24).

tests/js/format.test.js checks the client's `fromLocalInput` against tests/js/fixtures/
wall-times.json; this test checks that table against the server's own reading of a time without
an offset (`planpal.core.validation.in_zone`: PEP 495 fold=0, a skipped time moves forward by the
gap, a repeated one is its first occurrence). One table, so client and server cannot drift."""

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planpal.core.validation import in_zone

CASES = json.loads((Path(__file__).parents[1] / "js/fixtures/wall-times.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case['zone']} {case['wall']}")
def test_the_clients_table_of_wall_times_is_the_servers_rule(case):
    wall = datetime.fromisoformat(case["wall"])
    read = in_zone(wall, case["zone"], field="starts_at")
    assert read == datetime.fromisoformat(case["utc"])


def test_the_table_covers_skipped_and_repeated_times_in_both_hemispheres():
    def is_skipped(case):
        wall = datetime.fromisoformat(case["wall"]).replace(tzinfo=ZoneInfo(case["zone"]))
        return wall.astimezone(UTC).astimezone(wall.tzinfo).replace(tzinfo=None) != wall.replace(
            tzinfo=None
        )

    def is_repeated(case):
        wall = datetime.fromisoformat(case["wall"]).replace(tzinfo=ZoneInfo(case["zone"]))
        return wall.utcoffset() != wall.replace(fold=1).utcoffset() and not is_skipped(case)

    skipped = {case["zone"] for case in CASES if is_skipped(case)}
    repeated = {case["zone"] for case in CASES if is_repeated(case)}
    assert {"America/New_York", "Europe/Berlin", "Australia/Sydney"} <= skipped & repeated
    assert {"Australia/Lord_Howe", "America/Santiago", "Europe/Dublin"} <= skipped
