"""Webhook fixtures: a loopback receiver, the documented verification snippet, endpoints."""

import re
from pathlib import Path

import pytest

from planpal.webhooks.models import WebhookEndpoint
from planpal.webhooks.services import new_secret
from tests.webhooks.receiver import Receiver

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verifier():
    """`verify_planpal_signature` exactly as docs/webhooks.md shows it (its first python block)."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # our own documentation
    return namespace["verify_planpal_signature"]


@pytest.fixture(scope="session")
def verify():
    return documented_verifier()


@pytest.fixture(scope="module")
def receiver_server():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def receiver(receiver_server):
    receiver_server.reset()
    return receiver_server


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def inline_tasks(settings):
    """Deliveries run in this process right after commit (embedded mode without a scheduler),
    also in the Redis run: nothing goes to a broker that no worker of this test reads."""
    settings.EMBEDDED = True


def make_endpoint(group, user, url: str, events=("*",)) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        group=group, created_by=user, url=url, events=list(events), secret=new_secret()
    )


# End-to-end fixtures (a server process, a trip, realtime clients).
from tests.realtime.conftest import connect, server, trip  # noqa: E402, F401
