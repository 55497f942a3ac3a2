"""GET conversations/{id}/messages: newest first, cursor pages stable while messages arrive."""

import pytest

from tests.chat.conftest import messages_url
from tests.conftest import assert_error


def texts(page) -> list[str]:
    return [m["text"] for m in page["results"]]


def test_messages_come_newest_first_with_the_stream(alice, bob, trip, group_chat, client_for, say):
    for text in ("one", "two", "three"):
        say(bob, group_chat, text)

    body = client_for(alice).get(messages_url(group_chat)).json()

    assert texts(body) == ["three", "two", "one"]
    assert body["stream"] == {"topic": f"group:{trip.pk}", "seq": 3}
    assert body["next"] is None


def test_pages_neither_repeat_nor_skip_when_new_messages_arrive(
    alice, bob, group_chat, client_for, say
):
    for index in range(5):
        say(bob, group_chat, f"m{index}")
    client = client_for(alice)

    first = client.get(messages_url(group_chat), {"limit": 2}).json()
    for index in range(3):
        say(bob, group_chat, f"new{index}")
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    assert texts(first) == ["m4", "m3"]
    assert texts(second) == ["m2", "m1"]
    assert texts(third) == ["m0"]
    assert third["next"] is None


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_direct_conversation_stream_is_my_user_topic(alice, bob, direct, client_for, say, events):
    say(bob, direct, "hi")

    body = client_for(alice).get(messages_url(direct)).json()

    # The head of my topic: the message (seq 1), then my notification of it (seq 2).
    assert [(seq, name) for seq, name, _ in events(f"user:{alice.pk}")] == [
        (1, "direct.message_sent"),
        (2, "notification.created"),
    ]
    assert body["stream"] == {"topic": f"user:{alice.pk}", "seq": 2}


def test_deleted_messages_stay_in_history_as_tombstones(alice, bob, group_chat, client_for, say):
    from planpal.chat.services import message_delete

    message = say(bob, group_chat, "oops")
    message_delete(actor=bob, message_id=message.pk)

    [out] = client_for(alice).get(messages_url(group_chat)).json()["results"]

    assert out["id"] == message.pk and out["text"] == "" and out["deleted_at"]


def test_garbage_cursor_is_400_not_500(alice, group_chat, client_for):
    response = client_for(alice).get(messages_url(group_chat), {"cursor": "%%%not-a-cursor"})

    assert set(assert_error(response, 400, "invalid")["fields"]) == {"cursor"}


def test_bad_limit_is_400_naming_it(alice, bob, group_chat, client_for, say):
    """Bad input is a clear 4xx (the OpenAPI fuzz found it quietly replaced by the default)."""
    say(bob, group_chat, "hi")

    for limit in ("abc", "-1", "0", "10000000000000000000000"):
        response = client_for(alice).get(messages_url(group_chat), {"limit": limit})
        assert set(assert_error(response, 400, "invalid")["fields"]) == {"limit"}, limit
