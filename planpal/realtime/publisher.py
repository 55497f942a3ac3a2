"""Publishing committed events to live connections. Filled in by the realtime gateway."""

from planpal.realtime.models import Event


def publish_events(rows: list[Event]) -> None:
    """Hand committed events to the hub; rows stay unpublished for the sweeper on failure."""
