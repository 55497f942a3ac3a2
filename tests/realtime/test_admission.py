"""Step 4 of admission (realtime/admission.py): new connections are shed while the process's
event loop runs behind, whatever the machine, and besides by an optional fixed rate."""

import asyncio
import time

import pytest

from planpal.realtime import admission


@pytest.fixture(autouse=True)
def fresh_budgets():
    admission.reset()
    yield
    admission.reset()


async def test_connects_are_shed_while_the_loop_runs_behind_and_admitted_once_it_catches_up(
    settings,
):
    settings.REALTIME = {**settings.REALTIME, "CONNECT_MAX_LAG_MS": 250, "CONNECT_RATE": 0}
    assert admission.connect_shed() is None
    time.sleep(0.4)  # a long turn of the loop: the lag probe, due in 50 ms, is now overdue
    assert admission.loop_lag() > 0.25
    assert admission.connect_shed() == "loop_lag"
    await asyncio.sleep(0)  # the overdue probe fires and measures the late turn...
    assert admission.connect_shed() == "loop_lag"
    await asyncio.sleep(0.15)  # ... and the next probe, on time, clears it
    assert admission.loop_lag() < 0.25
    assert admission.connect_shed() is None


async def test_a_lag_limit_of_zero_never_sheds(settings):
    settings.REALTIME = {**settings.REALTIME, "CONNECT_MAX_LAG_MS": 0, "CONNECT_RATE": 0}
    admission.loop_lag()
    time.sleep(0.4)
    assert admission.connect_shed() is None


async def test_the_optional_fixed_rate_sheds_beyond_its_burst(settings):
    settings.REALTIME = {
        **settings.REALTIME,
        "CONNECT_MAX_LAG_MS": 0,
        "CONNECT_RATE": 0.05,
        "CONNECT_BURST": 3,
    }
    assert [admission.connect_shed() for _ in range(5)] == [None] * 3 + ["connect_rate"] * 2
    assert admission.connect_retry_after() >= 1
