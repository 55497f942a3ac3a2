"""Small helpers shared by the thin API views."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from planpal.core.exceptions import VersionConflict
from planpal.core.serializers import MAX_VERSION

# ?version= is a number; If-Match carries it as an entity tag: 3, "3" or W/"3" (* is any).
_FORMS = {
    "version": re.compile(r"([0-9]{1,10})"),
    "If-Match": re.compile(r'(?:W/)?"?([0-9]{1,10})"?'),
}

# The OpenAPI description of the two ways a delete names the version it was decided on.
VERSION_PARAMETERS = [
    OpenApiParameter(
        "version",
        int,
        description="The version you last saw: 409 with the current state if it changed since. "
        "Without it (or If-Match) the delete is unconditional.",
    ),
    OpenApiParameter(
        "If-Match",
        str,
        location=OpenApiParameter.HEADER,
        description='The same as ?version=, as an entity tag ("3").',
    ),
]


def validated(serializer_class: type[BaseSerializer[Any]], data: Any) -> dict[str, Any]:
    """An input serializer's validated data, or a 400 naming the fields."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class Shown(Protocol):
    """What `conflicts_show` renders the current state with: a serializer, or anything with
    its `data`."""

    @property
    def data(self) -> Any: ...


@contextmanager
def conflicts_show(
    serializer_class: Callable[..., Shown], **serializer_kwargs: Any
) -> Iterator[None]:
    """Turn a service's VersionConflict into a 409 that carries the server's current state."""
    try:
        yield
    except VersionConflict as exc:
        if exc.current is None:
            exc.current = serializer_class(exc.instance, **serializer_kwargs).data
        raise


def expected_version(request: Request) -> int | None:
    """The version a write was decided on: `?version=` or `If-Match`, None when neither is
    given (or If-Match is `*`). A malformed value, or two that disagree, is a 400."""
    versions: set[int] = set()
    query = request.query_params.get("version")
    if query is not None:
        versions.add(_version(query, "version"))
    header = request.headers.get("If-Match")
    if header is not None and header.strip() != "*":
        versions.add(_version(header.strip(), "If-Match"))
    if len(versions) > 1:
        raise ValidationError({"version": [_("?version= and If-Match disagree.")]})
    return versions.pop() if versions else None


def _version(raw: str, name: str) -> int:
    match = _FORMS[name].fullmatch(raw)
    if match is None or not 1 <= int(match.group(1)) <= MAX_VERSION:
        message = _("A version: a whole number from 1 to %(max)s.") % {"max": MAX_VERSION}
        raise ValidationError({name: [message]})
    return int(match.group(1))
