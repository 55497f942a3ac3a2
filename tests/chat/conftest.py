"""Chat fixtures: the shared "Lisbon trip" group's conversation (tests/conftest.py), and a direct
conversation between the friends alice and bob."""

import pytest

from planpal.chat import services
from planpal.chat.models import Conversation, Message
from tests.factories import befriend, make_direct
from tests.files.conftest import local_store, moto_s3, s3_store, store  # noqa: F401 - fixtures


@pytest.fixture
def group_chat(trip) -> Conversation:
    return trip.conversation


@pytest.fixture
def direct(alice, bob) -> Conversation:
    befriend(alice, bob)
    return make_direct(alice, bob)


@pytest.fixture
def say():
    """say(user, conversation, "text") → a text message sent through the service."""

    def send(user, conversation, text="hello", **kwargs) -> Message:
        message, _ = services.message_send(
            actor=user, conversation=conversation, kind="text", text=text, **kwargs
        )
        return message

    return send


def messages_url(conversation) -> str:
    return f"/api/v1/conversations/{conversation.pk}/messages"


def read_url(conversation) -> str:
    return f"/api/v1/conversations/{conversation.pk}/read"
