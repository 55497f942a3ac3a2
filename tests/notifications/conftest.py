"""Notification fixtures: notify(user, ...) writes a notification through the service;
push_stack_running(...) starts a server (and a worker) that pushes through a fake FCM."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from planpal.notifications.models import Notification
from planpal.notifications.services import notification_create
from tests.fakefcm.server import FakeFcm
from tests.live import CeleryProcess, LiveServer


@pytest.fixture
def notify(db):
    def create(user, title="Plan starts soon", kind="plan.reminder", **kwargs) -> Notification:
        return notification_create(user=user, kind=kind, title=title, **kwargs)

    return create


@contextmanager
def push_stack_running(directory: Path, *, worker: bool, **env: str) -> Iterator[SimpleNamespace]:
    """A fake FCM, and a server (plus a real Celery worker, which needs Redis, when `worker`)
    whose pushes go to it; `env` adds settings (PUSH_DELAY_SECONDS, ...) to both processes.
    Yields `.server`, `.fcm`."""
    with FakeFcm() as fcm:
        account = fcm.write_service_account(directory / "service.json")
        env = {
            "PUSH_TRANSPORT": "fcm",
            "FCM_CREDENTIALS_FILE": str(account),
            "FCM_ENDPOINT": fcm.url,
            **env,
        }
        server = LiveServer(**env).start()
        celery = CeleryProcess("worker", "--concurrency", "2", **env) if worker else None
        try:
            yield SimpleNamespace(server=server, fcm=fcm)
        finally:
            if celery:
                celery.stop()
            server.stop()


# End-to-end fixtures (a server process, a trip, realtime clients) for the push flow tests.
from tests.realtime.conftest import connect, server, trip  # noqa: E402, F401
