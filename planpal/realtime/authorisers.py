"""Per-topic authorisers. `realtime` knows topics, not plans: each domain app registers a check
for its topic prefix in its AppConfig.ready().

A check answers for many ids at once (one query for a prefix, however many topics): an SSE
request or a burst of subscriptions names hundreds of topics, and one query per topic made a
single request cost a thousand queries (issue 13 item 3)."""

import re
from collections.abc import Callable, Collection, Iterable

# `<prefix>:<id>`, nothing around it: matched with fullmatch (`$` would let "plan:24\n" through,
# a topic that is subscribed but never receives anything), ASCII digits, no leading zero.
TOPIC_PATTERN = re.compile(r"([a-z]+):([1-9][0-9]{0,17})")

# prefix → allowed(user_id, object_ids) -> the ids the user may follow; runs in a worker thread
# (may use the ORM), one query at most.
Check = Callable[[int, Collection[int]], Iterable[int]]
_authorisers: dict[str, Check] = {}


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


def authorised(user_id: int, topics: Iterable[str]) -> set[str]:
    """The topics the user may follow: one check (one query at most) per prefix."""
    wanted: dict[str, dict[int, str]] = {}
    for topic in topics:
        parsed = parse_topic(topic)
        if parsed is not None:
            wanted.setdefault(parsed[0], {})[parsed[1]] = topic
    return {
        by_id[object_id]
        for prefix, by_id in wanted.items()
        for object_id in _authorisers[prefix](user_id, list(by_id))
        if object_id in by_id
    }


def authorise(user_id: int, topic: str) -> bool:
    return topic in authorised(user_id, [topic])
