"""Per-topic authorisers. `realtime` knows topics, not plans: each domain app registers a check
for its topic prefix in its AppConfig.ready().

A check answers for many (user, id) pairs at once (one query for a prefix, however many topics
and users): an SSE request names hundreds of topics, and one query per topic made a single
request cost a thousand queries (issue 13 item 3); a burst of connects subscribes thousands of
users, and one query per connection made the database trip the connect path's largest cost."""

import re
from collections.abc import Callable, Iterable, Sequence

# `<prefix>:<id>`, nothing around it: matched with fullmatch (`$` would let "plan:24\n" through,
# a topic that is subscribed but never receives anything), ASCII digits, no leading zero.
TOPIC_PATTERN = re.compile(r"([a-z]+):([1-9][0-9]{0,17})")

# prefix → allowed(pairs) -> which of these (user_id, object_id) pairs may follow (it may also
# return pairs nobody asked about: they are ignored); runs in a worker thread (may use the ORM),
# one query at most. Pairs, not one user's ids: a burst of connects is checked in one call.
Pair = tuple[int, int]
Check = Callable[[Sequence[Pair]], Iterable[Pair]]
_authorisers: dict[str, Check] = {}

# Pairs per check: the largest check's query (plans_followed: users and plans, three times)
# has at most 900 placeholders, below the databases' limits (SQLite's 999 included).
CHECK_BATCH = 150


def register(prefix: str, allowed: Check) -> None:
    _authorisers[prefix] = allowed


def parse_topic(topic: object) -> tuple[str, int] | None:
    """("plan", 42) for "plan:42"; None for anything that is not exactly a known topic (every
    place that accepts a topic from a client goes through here)."""
    if not isinstance(topic, str) or len(topic) > 64:
        return None
    match = TOPIC_PATTERN.fullmatch(topic)
    if not match or match.group(1) not in _authorisers:
        return None
    return match.group(1), int(match.group(2))


def authorised_many(requests: Sequence[tuple[int, Iterable[str]]]) -> list[set[str]]:
    """For each (user_id, topics) request, the topics that user may follow: one check (one
    query at most) per prefix and `CHECK_BATCH` pairs, however many users ask."""
    answers: list[set[str]] = [set() for _ in requests]
    asked: dict[str, dict[Pair, list[tuple[int, str]]]] = {}  # prefix → pair → who asked
    for index, (user_id, topics) in enumerate(requests):
        for topic in topics:
            parsed = parse_topic(topic)
            if parsed is not None:
                by_pair = asked.setdefault(parsed[0], {})
                by_pair.setdefault((user_id, parsed[1]), []).append((index, topic))
    for prefix, by_pair in asked.items():
        pairs = list(by_pair)
        for start in range(0, len(pairs), CHECK_BATCH):
            for user_id, object_id in _authorisers[prefix](pairs[start : start + CHECK_BATCH]):
                for index, topic in by_pair.get((user_id, object_id), ()):
                    answers[index].add(topic)
    return answers


def authorised(user_id: int, topics: Iterable[str]) -> set[str]:
    """The topics the user may follow."""
    return authorised_many([(user_id, topics)])[0]


def authorise(user_id: int, topic: str) -> bool:
    return topic in authorised(user_id, [topic])
