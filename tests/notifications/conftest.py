"""Notification fixtures: notify(user, ...) writes a notification through the service."""

import pytest

from planpal.notifications.models import Notification
from planpal.notifications.services import notification_create


@pytest.fixture
def notify(db):
    def create(user, title="Plan starts soon", kind="plan.reminder", **kwargs) -> Notification:
        return notification_create(user=user, kind=kind, title=title, **kwargs)

    return create

# End-to-end fixtures (a server process, a trip, realtime clients) for the push flow tests.
from tests.realtime.conftest import connect, server, trip  # noqa: E402, F401
