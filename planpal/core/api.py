"""Small helpers shared by the thin API views."""

from collections.abc import Iterator
from contextlib import contextmanager

from planpal.core.exceptions import VersionConflict


@contextmanager
def conflicts_show(serializer_class, **serializer_kwargs) -> Iterator[None]:
    """Turn a service's VersionConflict into a 409 that carries the server's current state."""
    try:
        yield
    except VersionConflict as exc:
        if exc.current is None:
            exc.current = serializer_class(exc.instance, **serializer_kwargs).data
        raise
