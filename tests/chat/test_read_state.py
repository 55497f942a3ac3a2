"""POST conversations/{id}/read and unread counts."""

import pytest

from planpal.chat.models import ReadState
from planpal.chat.selectors import unread_count
from planpal.chat.services import message_delete
from planpal.notifications.models import Notification
from tests.chat.conftest import read_url
from tests.conftest import assert_error


def test_own_messages_do_not_count_as_unread(alice, group_chat, say):
    say(alice, group_chat, "one")
    say(alice, group_chat, "two")

    assert unread_count(user=alice, conversation=group_chat) == 0


def test_others_messages_count_until_read(alice, bob, carol, group_chat, say):
    say(bob, group_chat, "one")
    say(carol, group_chat, "two")

    assert unread_count(user=alice, conversation=group_chat) == 2
    assert unread_count(user=bob, conversation=group_chat) == 1


def test_deleted_messages_do_not_count(alice, bob, group_chat, say):
    message = say(bob, group_chat, "oops")
    message_delete(actor=bob, message_id=message.pk)

    assert unread_count(user=alice, conversation=group_chat) == 0


def test_system_messages_count(alice, group_chat):
    from planpal.chat.services import message_post_system

    message_post_system(conversation=group_chat, text="Dave joined")

    assert unread_count(user=alice, conversation=group_chat) == 1


def test_mark_read_without_message_id_reads_everything(
    alice, bob, trip, group_chat, client_for, say, events
):
    say(bob, group_chat, "one")
    last = say(bob, group_chat, "two")

    response = client_for(alice).post(read_url(group_chat), format="json")

    assert response.status_code == 200
    assert response.json() == {
        "conversation_id": group_chat.pk,
        "last_read_message_id": last.pk,
        "unread_count": 0,
    }
    *_, (_, name, payload) = events(f"group:{trip.pk}")
    assert name == "group.messages_read"
    assert payload == {
        "conversation_id": group_chat.pk,
        "user_id": alice.pk,
        "last_read_message_id": last.pk,
    }


def test_mark_read_up_to_a_message_reduces_unread(alice, bob, group_chat, client_for, say):
    first = say(bob, group_chat, "one")
    say(bob, group_chat, "two")
    say(bob, group_chat, "three")

    body = (
        client_for(alice).post(read_url(group_chat), {"message_id": first.pk}, format="json").json()
    )

    assert body["unread_count"] == 2
    conversations = client_for(alice).get("/api/v1/conversations").json()["results"]
    assert conversations[0]["unread_count"] == 2
    assert conversations[0]["last_read_message_id"] == first.pk


def test_read_marker_never_moves_backwards(alice, bob, trip, group_chat, client_for, say, events):
    first = say(bob, group_chat, "one")
    second = say(bob, group_chat, "two")
    client = client_for(alice)
    client.post(read_url(group_chat), {"message_id": second.pk}, format="json")
    seen = len(events(f"group:{trip.pk}"))

    body = client.post(read_url(group_chat), {"message_id": first.pk}, format="json").json()

    assert body["last_read_message_id"] == second.pk
    assert ReadState.objects.get(user=alice).last_read_message_id == second.pk
    assert len(events(f"group:{trip.pk}")) == seen  # nothing changed, nothing announced


def test_reading_an_empty_conversation_is_a_no_op(alice, trip, group_chat, client_for, events):
    body = client_for(alice).post(read_url(group_chat), {}, format="json").json()

    assert body == {"conversation_id": group_chat.pk, "last_read_message_id": 0, "unread_count": 0}
    assert events(f"group:{trip.pk}") == []
    assert not ReadState.objects.exists()


def test_marking_a_message_of_another_conversation_is_rejected(
    alice, bob, group_chat, direct, client_for, say
):
    elsewhere = say(bob, direct, "hi")

    response = client_for(alice).post(
        read_url(group_chat), {"message_id": elsewhere.pk}, format="json"
    )

    assert "message_id" in assert_error(response, 400)["fields"]
    assert not ReadState.objects.filter(user=alice, conversation=group_chat).exists()


@pytest.mark.parametrize(
    "body", [{"message_id": "latest"}, {"message_id": 10**30}, {"message_id": 0}, [1]]
)
def test_bad_read_request_is_rejected(alice, bob, group_chat, client_for, say, body):
    say(bob, group_chat, "hi")

    assert_error(client_for(alice).post(read_url(group_chat), body, format="json"), 400)
    assert not ReadState.objects.filter(user=alice).exists()


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_direct_read_receipts_go_to_both_people(alice, bob, direct, client_for, say, events):
    message = say(bob, direct, "hi")

    client_for(alice).post(read_url(direct), format="json")

    expected = {
        "conversation_id": direct.pk,
        "user_id": alice.pk,
        "last_read_message_id": message.pk,
    }
    for user in (alice, bob):
        [(_, name, payload)] = events(f"user:{user.pk}", names={"direct.messages_read"})
        assert (name, payload) == ("direct.messages_read", expected)
    # Reading the conversation also clears Alice's chat notification of it, on her topic only.
    notification = Notification.objects.get(user=alice)
    assert notification.read_at is not None
    assert [name for _, name, _ in events(f"user:{alice.pk}")] == [
        "direct.message_sent",
        "notification.created",
        "direct.messages_read",
        "notification.read",
    ]
    *_, (_, _, cleared) = events(f"user:{alice.pk}")
    assert cleared["ids"] == [notification.pk]
    assert [name for _, name, _ in events(f"user:{bob.pk}")] == [
        "direct.message_sent",
        "direct.messages_read",
    ]
