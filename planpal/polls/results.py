"""Counting a poll: votes per option, and for date polls the answers per day and the best
ranges ranked. Pure functions of the rows, so the service computes the counts an event carries
from the same rows it just wrote (under the poll's lock)."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

# Ranges shown: the best few are what a group decides among.
RANKED_RANGES = 5


def days_of(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def choice_results(option_ids: list[int], votes: list[tuple[int, int]]) -> dict[str, Any]:
    """`votes`: (option_id, voter_id) rows."""
    per_option = Counter(option_id for option_id, _ in votes)
    return {
        "voter_count": len({voter for _, voter in votes}),
        "options": [{"id": pk, "votes": per_option[pk]} for pk in option_ids],
        "days": [],
        "ranking": [],
    }


def date_results(
    first: date, last: date, length: int, marks: list[tuple[int, date, str]]
) -> dict[str, Any]:
    """`marks`: (voter_id, day, answer) rows. A member is *available* for a range when every
    day of it is yes or maybe, and *sure* when every day is yes; ranges rank by available, then
    sure, then the earliest start."""
    days = days_of(first, last)
    index = {day: n for n, day in enumerate(days)}
    counts: dict[date, Counter] = defaultdict(Counter)
    could: dict[int, int] = defaultdict(int)  # voter → bitmask of days marked yes or maybe
    sure: dict[int, int] = defaultdict(int)  # voter → bitmask of days marked yes
    for voter, day, answer in marks:
        if day not in index:
            continue
        counts[day][answer] += 1
        bit = 1 << index[day]
        if answer != "no":
            could[voter] |= bit
        if answer == "yes":
            sure[voter] |= bit
    return {
        "voter_count": len({voter for voter, _, _ in marks}),
        "options": [],
        "days": [
            {
                "day": day,
                "yes": counts[day]["yes"],
                "maybe": counts[day]["maybe"],
                "no": counts[day]["no"],
            }
            for day in days
        ],
        "ranking": _ranking(days, length, could, sure),
    }


def _ranking(days: list[date], length: int, could: dict, sure: dict) -> list[dict[str, Any]]:
    ranges = []
    for start in range(len(days) - length + 1):
        mask = ((1 << length) - 1) << start
        available = sum(1 for bits in could.values() if bits & mask == mask)
        if not available:
            continue
        certain = sum(1 for bits in sure.values() if bits & mask == mask)
        ranges.append((-available, -certain, start, available, certain))
    ranges.sort()
    return [
        {
            "first_day": days[start],
            "last_day": days[start + length - 1],
            "available": available,
            "sure": certain,
        }
        for _, _, start, available, certain in ranges[:RANKED_RANGES]
    ]


def leaders(results: dict[str, Any]) -> list[int]:
    """The option ids with the most votes (none when nobody voted)."""
    best = max((row["votes"] for row in results["options"]), default=0)
    return [row["id"] for row in results["options"] if best and row["votes"] == best]
