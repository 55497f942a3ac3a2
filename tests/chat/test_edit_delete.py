"""PATCH/DELETE messages/{id}: only the sender edits; the sender or a group admin deletes."""

import pytest

from planpal.chat.models import Message
from tests.conftest import assert_error


def url(message) -> str:
    return f"/api/v1/messages/{message.pk}"


def test_sender_edits_their_message(alice, trip, group_chat, client_for, say, events):
    message = say(alice, group_chat, "Hi al")

    response = client_for(alice).patch(url(message), {"text": " Hi all "}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Hi all"
    assert body["edited_at"] is not None
    *_, (_, name, payload) = events(f"group:{trip.pk}")
    assert name == "group.message_edited"
    assert payload == body


def test_editing_to_the_same_text_changes_nothing(alice, trip, group_chat, client_for, say, events):
    message = say(alice, group_chat, "Hi")

    body = client_for(alice).patch(url(message), {"text": "Hi"}, format="json").json()

    assert body["edited_at"] is None
    assert len(events(f"group:{trip.pk}")) == 1


def test_others_cannot_edit_even_admins(alice, bob, carol, group_chat, client_for, say):
    message = say(bob, group_chat, "mine")

    for user in (alice, carol):
        response = client_for(user).patch(url(message), {"text": "theirs"}, format="json")
        assert_error(response, 403, "forbidden")
    assert Message.objects.get(pk=message.pk).text == "mine"


def test_deleted_message_cannot_be_edited(alice, group_chat, client_for, say):
    message = say(alice, group_chat, "Hi")
    client_for(alice).delete(url(message))

    response = client_for(alice).patch(url(message), {"text": "back"}, format="json")

    assert_error(response, 409, "message_deleted")
    assert Message.objects.get(pk=message.pk).text == ""


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 10_000}, {"text": 5}, {"text": None}]
)
def test_bad_edit_is_rejected(alice, group_chat, client_for, say, body):
    message = say(alice, group_chat, "Hi")

    assert_error(client_for(alice).patch(url(message), body, format="json"), 400, "invalid")
    message.refresh_from_db()
    assert (message.text, message.edited_at) == ("Hi", None)


def test_location_label_may_be_cleared(alice, group_chat, client_for):
    from planpal.chat.services import message_send

    message, _ = message_send(
        actor=alice, conversation=group_chat, kind="location", text="Here", lat=1, lng=2
    )

    body = client_for(alice).patch(url(message), {"text": ""}, format="json").json()

    assert body["text"] == "" and body["lat"] == 1.0


def test_sender_deletes_their_message(bob, trip, group_chat, client_for, say, events):
    message = say(bob, group_chat, "secret")

    response = client_for(bob).delete(url(message))

    assert response.status_code == 200
    body = response.json()
    assert body["deleted_at"] is not None
    assert body["text"] == ""
    message.refresh_from_db()
    assert message.deleted_at is not None and message.text == ""
    *_, (_, name, payload) = events(f"group:{trip.pk}")
    assert name == "group.message_deleted"
    assert payload == body


@pytest.mark.parametrize("manager", ["alice", "carol"])
def test_group_owner_and_admin_delete_others_messages(
    request, bob, group_chat, client_for, say, manager
):
    message = say(bob, group_chat, "spam")

    response = client_for(request.getfixturevalue(manager)).delete(url(message))

    assert response.status_code == 200
    assert Message.objects.get(pk=message.pk).deleted_at is not None


def test_plain_member_cannot_delete_others_messages(alice, bob, group_chat, client_for, say):
    message = say(alice, group_chat, "keep")

    assert_error(client_for(bob).delete(url(message)), 403, "forbidden")
    assert Message.objects.get(pk=message.pk).deleted_at is None


def test_in_direct_conversations_only_the_sender_deletes(alice, bob, direct, client_for, say):
    message = say(alice, direct, "hi")

    assert_error(client_for(bob).delete(url(message)), 403)


def test_deleting_twice_is_harmless(alice, trip, group_chat, client_for, say, events):
    message = say(alice, group_chat, "Hi")
    first = client_for(alice).delete(url(message))
    again = client_for(alice).delete(url(message))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["deleted_at"] == first.json()["deleted_at"]
    assert [name for _, name, _ in events(f"group:{trip.pk}")] == [
        "group.message_sent",
        "group.message_deleted",
    ]


def test_deleted_location_loses_its_coordinates(alice, group_chat, client_for):
    from planpal.chat.services import message_send

    message, _ = message_send(actor=alice, conversation=group_chat, kind="location", lat=1, lng=2)

    body = client_for(alice).delete(url(message)).json()

    assert (body["lat"], body["lng"]) == (None, None)


def test_outsider_gets_404_for_edit_and_delete(dave, alice, group_chat, client_for, say):
    message = say(alice, group_chat, "Hi")
    client = client_for(dave)

    assert_error(client.patch(url(message), {"text": "x"}, format="json"), 404)
    assert_error(client.delete(url(message)), 404)
    assert Message.objects.get(pk=message.pk).text == "Hi"


def test_unknown_message_is_404(alice, client_for, group_chat):
    assert_error(client_for(alice).delete("/api/v1/messages/999999"), 404)
    assert_error(client_for(alice).delete(f"/api/v1/messages/{10**30}"), 404)


def test_messages_carry_a_version_that_edits_and_deletion_bump(alice, group_chat, client_for, say):
    message = say(alice, group_chat, "Hi al")
    client = client_for(alice)

    edited = client.patch(url(message), {"text": "Hi all", "version": 1}, format="json").json()
    deleted = client.delete(url(message)).json()

    assert (edited["version"], deleted["version"]) == (2, 3)


def test_a_stale_message_delete_is_refused_with_the_current_message(
    alice, carol, trip, group_chat, client_for, say, events
):
    """Issue 13 #10, for messages: an admin deleting what they saw (version 1) must not delete
    a text the sender has rewritten since."""
    message = say(alice, group_chat, "meet at 5")
    client_for(alice).patch(url(message), {"text": "meet at 6"}, format="json")

    response = client_for(carol).delete(url(message), HTTP_IF_MATCH='"1"')

    error = assert_error(response, 409, "version_conflict")
    assert (error["current"]["text"], error["current"]["version"]) == ("meet at 6", 2)
    assert Message.objects.get(pk=message.pk).deleted_at is None
    assert events(f"group:{trip.pk}")[-1][1] == "group.message_edited"


def test_a_stale_message_edit_is_refused(alice, group_chat, client_for, say):
    message = say(alice, group_chat, "one")
    client_for(alice).patch(url(message), {"text": "two", "version": 1}, format="json")

    response = client_for(alice).patch(url(message), {"text": "three", "version": 1}, format="json")

    assert assert_error(response, 409, "version_conflict")["current"]["text"] == "two"
    assert Message.objects.get(pk=message.pk).text == "two"
