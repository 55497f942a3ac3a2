"""GET/POST conversations and GET conversations/{id}: the list, direct conversations, streams."""

import pytest

from planpal.accounts.models import Friendship
from planpal.chat.models import Conversation
from planpal.chat.services import message_delete
from tests.conftest import assert_error
from tests.factories import befriend, make_direct, make_group

URL = "/api/v1/conversations"


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_list_has_my_group_and_direct_conversations_latest_first(
    alice, bob, trip, group_chat, direct, client_for, say, events
):
    make_group("Bob's other group", owner=bob)  # alice is not in it
    say(bob, group_chat, "first")
    say(bob, direct, "later")

    body = client_for(alice).get(URL).json()

    assert [c["id"] for c in body["results"]] == [direct.pk, group_chat.pk]
    direct_out, group_out = body["results"]
    assert group_out["kind"] == "group"
    assert group_out["group"] == trip.pk
    assert group_out["title"] == "Lisbon trip"
    assert group_out["other_user"] is None
    assert group_out["stream"] == {"topic": f"group:{trip.pk}", "seq": 1}
    assert direct_out["kind"] == "direct"
    assert direct_out["group"] is None
    assert direct_out["title"] == "Bob"
    assert direct_out["other_user"]["username"] == "bob"
    assert direct_out["last_message"]["text"] == "later"
    # The stream is Alice's topic at its head: the notification of the group message, then the
    # direct message and its notification.
    assert [name for _, name, _ in events(f"user:{alice.pk}")] == [
        "notification.created",
        "direct.message_sent",
        "notification.created",
    ]
    assert direct_out["stream"] == {"topic": f"user:{alice.pk}", "seq": 3}


def test_list_counts_unread_messages_per_conversation(
    alice, bob, carol, group_chat, client_for, say
):
    say(bob, group_chat, "one")
    say(carol, group_chat, "two")
    say(alice, group_chat, "mine")  # my own message also marks everything before it read
    say(bob, group_chat, "three")
    deleted = say(carol, group_chat, "oops")
    message_delete(actor=carol, message_id=deleted.pk)

    [out] = client_for(alice).get(URL).json()["results"]

    assert out["unread_count"] == 1
    assert out["last_message"]["id"] == deleted.pk
    assert out["last_message"]["deleted_at"] is not None


def test_conversation_without_messages_has_no_last_message(alice, group_chat, client_for):
    [out] = client_for(alice).get(URL).json()["results"]

    assert out["last_message"] is None
    assert out["unread_count"] == 0
    assert out["last_read_message_id"] == 0


def test_outsider_sees_none_of_the_groups_conversations(dave, group_chat, direct, client_for):
    assert client_for(dave).get(URL).json()["results"] == []


def test_get_one_conversation(alice, trip, group_chat, client_for):
    response = client_for(alice).get(f"{URL}/{group_chat.pk}")

    assert response.status_code == 200
    assert response.json()["group"] == trip.pk


def test_outsider_gets_404_for_a_conversation(dave, group_chat, direct, client_for):
    for conversation in (group_chat, direct):
        assert_error(client_for(dave).get(f"{URL}/{conversation.pk}"), 404, "not_found")


# ---------------------------------------------------------------- direct conversations
def test_friends_open_a_direct_conversation(alice, bob, client_for):
    befriend(alice, bob)

    response = client_for(bob).post(URL, {"user": alice.pk}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "direct"
    assert body["other_user"]["id"] == alice.pk
    assert body["stream"] == {"topic": f"user:{bob.pk}", "seq": 0}
    conversation = Conversation.objects.get(pk=body["id"])
    assert (conversation.user_low_id, conversation.user_high_id) == (alice.pk, bob.pk)


def test_opening_it_again_from_either_side_returns_the_same_one(alice, bob, client_for):
    befriend(alice, bob)
    first = client_for(alice).post(URL, {"user": bob.pk}, format="json")
    again = client_for(bob).post(URL, {"user": alice.pk}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Conversation.objects.filter(kind="direct").count() == 1


@pytest.mark.parametrize(
    "status", [Friendship.Status.PENDING, Friendship.Status.DECLINED, Friendship.Status.BLOCKED]
)
def test_direct_conversation_needs_an_accepted_friendship(alice, bob, client_for, status):
    befriend(alice, bob, status=status)

    response = client_for(alice).post(URL, {"user": bob.pk}, format="json")

    assert_error(response, 403, "not_friends")
    assert not Conversation.objects.filter(kind="direct").exists()


def test_strangers_cannot_open_a_direct_conversation(alice, dave, client_for):
    assert_error(client_for(alice).post(URL, {"user": dave.pk}, format="json"), 403)
    assert not Conversation.objects.exists()


def test_former_friends_keep_history_but_cannot_write(alice, bob, client_for, say):
    friendship = befriend(alice, bob)
    direct = make_direct(alice, bob)
    say(alice, direct, "see you")
    friendship.status = Friendship.Status.BLOCKED
    friendship.save()

    listed = client_for(bob).get(URL).json()["results"]
    response = client_for(bob).post(f"{URL}/{direct.pk}/messages", {"text": "hey?"}, format="json")

    assert [c["id"] for c in listed] == [direct.pk]
    assert_error(response, 403, "not_friends")
    assert direct.messages.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"user": "bob"},
        {"user": None},
        {"user": 0},
        {"user": 10**30},
        {"user": [1]},
        {"user": 1.5},
    ],
    ids=["missing", "word", "null", "zero", "huge", "list", "fraction"],
)
def test_bad_direct_conversation_request_is_rejected(alice, client_for, body):
    assert_error(client_for(alice).post(URL, body, format="json"), 400, "invalid")
    assert not Conversation.objects.exists()


def test_unknown_user_is_rejected(alice, client_for):
    error = assert_error(client_for(alice).post(URL, {"user": 999_999}, format="json"), 400)
    assert "user" in error["fields"]


def test_a_conversation_with_yourself_is_rejected(alice, client_for):
    assert_error(client_for(alice).post(URL, {"user": alice.pk}, format="json"), 400)
    assert not Conversation.objects.exists()


def test_list_pages_with_limit_and_cursor(alice, client_for):
    for index in range(3):
        make_group(f"group {index}", owner=alice)

    body = client_for(alice).get(URL, {"limit": 2}).json()

    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "cursor=" in body["next"]


def test_paging_conversations_while_they_change_neither_repeats_nor_skips_one(
    alice, bob, client_for, say
):
    """Offset paging (issue 13 #21): a conversation that got a message (moving to the top)
    after page one was read pushed the last one of page one onto page two again."""
    groups = [make_group(f"group {index}", owner=alice, members=[bob]) for index in range(4)]
    for group in groups:
        say(alice, group.conversation, f"hello {group.name}")
    newest_first = [group.conversation.pk for group in reversed(groups)]
    client = client_for(alice)

    first = client.get(URL, {"limit": 2}).json()
    assert [c["id"] for c in first["results"]] == newest_first[:2]
    say(bob, groups[0].conversation, "back to the top")  # the oldest becomes the newest
    make_group("group new", owner=alice)
    second = client.get(first["next"]).json()

    assert [c["id"] for c in second["results"]] == newest_first[2:3]
    assert second["next"] is None
