"""What the gateway needs to know about user accounts, registered by the accounts app in its
AppConfig.ready() (`realtime` knows topics and user ids, not the accounts app): whether an
account may still connect, and how users are shown in the activity feed."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rest_framework.serializers import BaseSerializer


@dataclass(frozen=True)
class Accounts:
    # [(user id, token version)] → for each, whether the account exists, may sign in and has
    # not revoked that version since (runs in a worker thread; ORM allowed; the gateway asks
    # for a burst of connects at once: one query for all of them)
    may_connect: Callable[[list[tuple[int, int]]], dict[tuple[int, int], bool]]
    # user ids → {id: the public fields anyone may see: id, username, display_name, avatar_url}
    public_data: Callable[[Iterable[int]], dict[int, dict[str, Any]]]
    # the serializer that describes public_data's values (for the API schema)
    public_serializer: type[BaseSerializer[Any]]


_accounts: Accounts | None = None


def register(accounts: Accounts) -> None:
    global _accounts
    _accounts = accounts


def accounts() -> Accounts:
    if _accounts is None:
        raise RuntimeError("no accounts registered with planpal.realtime.users")
    return _accounts
