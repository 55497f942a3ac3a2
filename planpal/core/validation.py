"""Checks of values several apps accept, so each rule and its message live in one place."""

import functools
import zoneinfo
from datetime import UTC, datetime, tzinfo
from importlib import resources

from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from planpal.core.exceptions import InvalidInput

# In the IANA database but not a place: "Factory" is tzdata's "local time zone must be set"
# placeholder (abbreviation "-00").
_NOT_PLACES = frozenset({"Factory"})


@functools.cache
def _timezone_names() -> frozenset[str]:
    """The IANA zone names, from the tzdata package we depend on (not the host's zoneinfo
    directory, whose `localtime` is whatever zone the server happens to run in)."""
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return frozenset(listed) - _NOT_PLACES | {"UTC"}


def timezone_error(name: str) -> str | None:
    """Why `name` is not an IANA zone name ("Europe/Paris"), or None when it is one."""
    if name in _timezone_names():
        return None
    return _("Unknown time zone %(name)r.") % {"name": name[:64]}


def is_timezone(name: str) -> bool:
    return timezone_error(name) is None


def validate_timezone(name: str, *, field: str = "timezone") -> str:
    """`name` if it is an IANA zone name; anything else is InvalidInput on `field`."""
    error = timezone_error(name)
    if error is not None:
        raise InvalidInput(fields={field: [error]})
    return name


def zone(name: str) -> tzinfo:
    """The time zone of a stored name; UTC for a name that is no zone (rows written before a
    rule got stricter)."""
    if not is_timezone(name):
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def in_zone(value: datetime, zone_name: str, *, field: str) -> datetime:
    """A moment from a client, as an aware datetime. One with an offset is that instant; one
    without is a wall-clock time in `zone_name` (the plan's zone), never UTC. Wall-clock times
    that a daylight-saving change skips or repeats follow PEP 495's fold=0, like RFC 5545 and
    JavaScript's Temporal "compatible": a skipped time moves forward by the gap (02:30 on a
    night that jumps 02:00 → 03:00 is 03:30), a repeated one is its first occurrence."""
    if dj_timezone.is_aware(value):
        return value
    try:
        return value.replace(tzinfo=zone(zone_name)).astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidInput(fields={field: [_("This time is out of range.")]}) from None


# Idempotency keys clients attach to creates (messages, activities): a retry finds the first.
def between(low: int, high: int) -> str:
    """The message for a number outside [low, high]."""
    return _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}


MAX_CLIENT_ID = 64


def clean_client_id(client_id: str | None) -> str | None:
    """A client's idempotency key, stripped; blank means none. Too long is InvalidInput."""
    client_id = (client_id or "").strip() or None
    if client_id is not None and len(client_id) > MAX_CLIENT_ID:
        raise InvalidInput(
            _("client_id is too long."),
            fields={"client_id": [_("At most %(max)s characters.") % {"max": MAX_CLIENT_ID}]},
        )
    return client_id
