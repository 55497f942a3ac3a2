"""Human summaries of events ("Lan completed Coffee at Dalat market"), one place for all of them.

`realtime` knows topics, not plans: each domain app registers the sentences for its event names
in its AppConfig.ready() (`register(...)`); the activity feed renders them. A summary function
gets the event's payload and a `Names` that turns user ids into display names.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from planpal.realtime import users

SOMEONE = gettext_lazy("Someone")
SYSTEM = "PlanPal"


class Names:
    """Display names for the user ids of a page of events, from their public data (fetched in
    one query: `users_of`)."""

    def __init__(self, public_data: dict[int, dict[str, Any]]) -> None:
        self._names = {pk: person(user) for pk, user in public_data.items()}

    def of(self, user_id: int | None) -> str:
        if user_id is None:
            return SYSTEM
        return self._names.get(user_id, str(SOMEONE))


Summary = Callable[[dict[str, Any], int | None, Names], str]
# event name → summary(payload, actor_id, names)
_summaries: dict[str, Summary] = {}


def register(summaries: dict[str, Summary]) -> None:
    for name, summary in summaries.items():
        if name in _summaries:
            raise ValueError(f"a summary for {name!r} is registered twice")
        _summaries[name] = summary


def summarised_names() -> set[str]:
    """Event names with a summary: the ones the activity feed shows."""
    return set(_summaries)


def users_of(user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The public data of these users (ints only: payloads are not trusted to hold ids)."""
    return users.accounts().public_data({pk for pk in user_ids if isinstance(pk, int)})


def user_ids_in(actor_id: int | None, payload: dict[str, Any]) -> list[int]:
    """The ids a summary may name: the actor and a payload's bare `user_id`."""
    return [pk for pk in (actor_id, payload.get("user_id")) if isinstance(pk, int)]


def summarise(name: str, payload: dict[str, Any], actor_id: int | None, names: Names) -> str:
    summary = _summaries.get(name)
    if summary is None:
        return f"{names.of(actor_id)}: {name}"
    return summary(payload, actor_id, names)


def person(user: dict[str, Any] | None) -> str:
    """The name of a PublicUser inside a payload."""
    if not user:
        return str(SOMEONE)
    return user.get("display_name") or user.get("username") or str(SOMEONE)
