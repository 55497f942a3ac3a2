"""Per-topic authorisers. `realtime` knows topics, not plans: each domain app registers a check
for its topic prefix in its AppConfig.ready()."""

import re
from collections.abc import Callable

# `<prefix>:<id>`, nothing around it: matched with fullmatch (`$` would let "plan:24\n" through,
# a topic that is subscribed but never receives anything), ASCII digits, no leading zero.
TOPIC_PATTERN = re.compile(r"([a-z]+):([1-9][0-9]{0,17})")

# prefix → check(user_id, object_id) -> bool; runs in a worker thread (may use the ORM).
_authorisers: dict[str, Callable[[int, int], bool]] = {}


def register(prefix: str, check: Callable[[int, int], bool]) -> None:
    _authorisers[prefix] = check


def parse_topic(topic: object) -> tuple[str, int] | None:
    """("plan", 42) for "plan:42"; None for anything that is not exactly a known topic (every
    place that accepts a topic from a client goes through here)."""
    if not isinstance(topic, str) or len(topic) > 64:
        return None
    match = TOPIC_PATTERN.fullmatch(topic)
    if not match or match.group(1) not in _authorisers:
        return None
    return match.group(1), int(match.group(2))


def authorise(user_id: int, topic: str) -> bool:
    parsed = parse_topic(topic)
    if parsed is None:
        return False
    prefix, object_id = parsed
    return _authorisers[prefix](user_id, object_id)
