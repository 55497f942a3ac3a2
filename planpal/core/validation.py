"""Checks of values several apps accept, so each rule and its message live in one place."""

import functools
import zoneinfo

from planpal.core.exceptions import InvalidInput


@functools.cache
def _timezone_names() -> frozenset[str]:
    # "UTC" is always valid, even where the system has no zoneinfo database.
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def timezone_error(name: str) -> str | None:
    """Why `name` is not an IANA zone name ("Europe/Paris"), or None when it is one."""
    if name in _timezone_names():
        return None
    return f"Unknown time zone {name[:64]!r}."


def is_timezone(name: str) -> bool:
    return timezone_error(name) is None


def validate_timezone(name: str, *, field: str = "timezone") -> str:
    """`name` if it is an IANA zone name; anything else is InvalidInput on `field`."""
    error = timezone_error(name)
    if error is not None:
        raise InvalidInput(fields={field: [error]})
    return name


# Idempotency keys clients attach to creates (messages, activities): a retry finds the first.
MAX_CLIENT_ID = 64


def clean_client_id(client_id: str | None) -> str | None:
    """A client's idempotency key, stripped; blank means none. Too long is InvalidInput."""
    client_id = (client_id or "").strip() or None
    if client_id is not None and len(client_id) > MAX_CLIENT_ID:
        raise InvalidInput(
            "client_id is too long.", fields={"client_id": [f"At most {MAX_CLIENT_ID} characters."]}
        )
    return client_id
