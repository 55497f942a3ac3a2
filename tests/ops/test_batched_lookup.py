"""BatchedLookup: the lookups of one turn of the event loop answered by one fetch."""

import asyncio

import pytest

from planpal.core.db import BatchedLookup


class Recorder:
    def __init__(self, fail_with: Exception | None = None) -> None:
        self.trips: list[list[int]] = []
        self.fail_with = fail_with

    def __call__(self, keys: list[int]) -> dict[int, str]:
        self.trips.append(list(keys))
        if self.fail_with is not None:
            raise self.fail_with
        return {key: f"value {key}" for key in keys if key != 13}


async def test_lookups_made_together_are_answered_by_one_fetch_each_with_its_own_value():
    fetch = Recorder()
    lookup = BatchedLookup(fetch)

    answers = await asyncio.gather(*(lookup(key) for key in (1, 2, 3, 2)))

    assert answers == ["value 1", "value 2", "value 3", "value 2"]
    assert fetch.trips == [[1, 2, 3]]  # one trip, a key asked twice fetched once


async def test_lookups_made_while_a_fetch_is_in_flight_go_in_the_next_trip():
    fetch = Recorder()
    lookup = BatchedLookup(fetch)
    first = asyncio.ensure_future(lookup(1))
    await asyncio.sleep(0.01)  # the first trip has left

    assert await asyncio.gather(first, lookup(2), lookup(3)) == ["value 1", "value 2", "value 3"]
    assert fetch.trips[0] == [1]
    assert sorted(key for trip in fetch.trips[1:] for key in trip) == [2, 3]


async def test_a_trip_takes_at_most_max_keys():
    fetch = Recorder()
    lookup = BatchedLookup(fetch, max_keys=2)

    assert len(await asyncio.gather(*(lookup(key) for key in range(5)))) == 5
    assert fetch.trips == [[0, 1], [2, 3], [4]]


async def test_a_failed_fetch_fails_every_caller_of_its_trip_and_the_next_trip_is_made_afresh():
    fetch = Recorder(fail_with=RuntimeError("database gone"))
    lookup = BatchedLookup(fetch)

    answers = await asyncio.gather(lookup(1), lookup(2), return_exceptions=True)
    assert [str(answer) for answer in answers] == ["database gone", "database gone"]

    fetch.fail_with = None
    assert await lookup(1) == "value 1"


async def test_a_key_the_fetch_left_out_fails_only_its_own_callers():
    lookup = BatchedLookup(Recorder())

    answers = await asyncio.gather(lookup(12), lookup(13), return_exceptions=True)

    assert answers[0] == "value 12"
    assert isinstance(answers[1], KeyError)


async def test_a_caller_that_went_away_does_not_disturb_the_others():
    lookup = BatchedLookup(Recorder())
    gone = asyncio.ensure_future(lookup(1))
    stays = asyncio.ensure_future(lookup(2))
    await asyncio.sleep(0)
    gone.cancel()

    assert await stays == "value 2"
    with pytest.raises(asyncio.CancelledError):
        await gone
