"""POST conversations/{id}/messages: sending text and location messages, idempotent retries."""

import json
from unittest import mock

import pytest

from planpal.chat import services
from planpal.chat.models import Conversation, Message, ReadState
from planpal.chat.services import messages as message_services
from planpal.core.exceptions import InvalidInput
from planpal.realtime.models import Event
from tests.chat.conftest import messages_url
from tests.conftest import assert_error, public


def test_member_sends_a_text_message(alice, group_chat, client_for, events):
    response = client_for(alice).post(
        messages_url(group_chat), {"text": "  Hi all  "}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "Hi all"
    assert body["kind"] == "text"
    assert body["conversation_id"] == group_chat.pk
    assert body["sender"] == {
        "id": alice.pk,
        "username": "alice",
        "display_name": "Alice",
        "avatar_url": "",
    }
    assert body["edited_at"] is None and body["deleted_at"] is None
    group_chat.refresh_from_db()
    assert group_chat.last_message_at is not None


def test_sending_emits_group_message_sent_with_the_serialised_message(
    alice, trip, group_chat, client_for, events
):
    body = (
        client_for(alice)
        .post(messages_url(group_chat), {"text": "Hi", "client_id": "c-1"}, format="json")
        .json()
    )

    [(seq, name, payload)] = events(f"group:{trip.pk}")
    assert (seq, name) == (1, "group.message_sent")
    assert payload == body
    row = Event.objects.get(topic=f"group:{trip.pk}")
    assert row.client_id == "c-1"
    assert row.actor_id == alice.pk


def test_sender_has_read_their_own_message(alice, group_chat, client_for):
    body = client_for(alice).post(messages_url(group_chat), {"text": "Hi"}, format="json").json()

    state = ReadState.objects.get(conversation=group_chat, user=alice)
    assert state.last_read_message_id == body["id"]


def test_location_message_keeps_coordinates(bob, group_chat, client_for):
    response = client_for(bob).post(
        messages_url(group_chat),
        {"kind": "location", "lat": 38.7223, "lng": -9.1393, "text": "Meet here"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["lat"], body["lng"], body["text"]) == (38.7223, -9.1393, "Meet here")
    message = Message.objects.get(pk=body["id"])
    assert float(message.lat) == 38.7223


def test_a_location_may_name_its_place(bob, group_chat, client_for):
    body = (
        client_for(bob)
        .post(
            messages_url(group_chat),
            {"kind": "location", "lat": 38.7, "lng": -9.1, "location_name": " Time  Out Market "},
            format="json",
        )
        .json()
    )

    assert (body["location_name"], body["text"], body["attachment"]) == (
        "Time Out Market",
        "",
        None,
    )


def test_location_coordinates_are_rounded_to_microdegrees(bob, group_chat, client_for):
    body = (
        client_for(bob)
        .post(
            messages_url(group_chat),
            {"kind": "location", "lat": 10.12345678, "lng": 179.9999999},
            format="json",
        )
        .json()
    )

    assert (body["lat"], body["lng"]) == (10.123457, 180.0)


def test_reply_to_a_message_of_the_same_conversation(alice, bob, group_chat, client_for, say):
    original = say(alice, group_chat, "Where do we eat?")

    response = client_for(bob).post(
        messages_url(group_chat),
        {"text": "Time Out Market", "reply_to": original.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["reply_to"] == original.pk


def test_a_reply_quotes_its_original(alice, bob, group_chat, client_for, say):
    original = say(alice, group_chat, "Where do we eat? " + "x" * 200)

    body = (
        client_for(bob)
        .post(messages_url(group_chat), {"text": "Here", "reply_to": original.pk}, format="json")
        .json()
    )

    assert body["reply_summary"] == {
        "id": original.pk,
        "sender": public(alice),
        "kind": "text",
        "text": ("Where do we eat? " + "x" * 200)[:140],
        "deleted": False,
    }


def test_a_reply_to_a_place_or_a_file_quotes_its_name(alice, bob, group_chat, client_for):
    place, _ = services.message_send(
        actor=alice, conversation=group_chat, kind="location", lat=1, lng=2, location_name="Pier"
    )

    body = (
        client_for(bob)
        .post(messages_url(group_chat), {"text": "ok", "reply_to": place.pk}, format="json")
        .json()
    )

    assert (body["reply_summary"]["kind"], body["reply_summary"]["text"]) == ("location", "Pier")


def test_a_deleted_original_is_quoted_as_deleted(alice, bob, group_chat, client_for, say):
    original = say(alice, group_chat, "secret plan")
    reply = say(bob, group_chat, "nice", reply_to_id=original.pk)
    services.message_delete(actor=alice, message_id=original.pk)

    [listed] = [
        m
        for m in client_for(bob).get(messages_url(group_chat)).json()["results"]
        if m["id"] == reply.pk
    ]
    late = (
        client_for(bob)
        .post(messages_url(group_chat), {"text": "?", "reply_to": original.pk}, format="json")
        .json()
    )

    for quoted in (listed["reply_summary"], late["reply_summary"]):
        assert (quoted["id"], quoted["text"], quoted["deleted"]) == (original.pk, "", True)


# ---------------------------------------------------------------- idempotency
def test_retry_with_same_client_id_returns_first_message(
    alice, trip, group_chat, client_for, events
):
    client = client_for(alice)
    first = client.post(messages_url(group_chat), {"text": "Hi", "client_id": "abc"}, format="json")
    again = client.post(messages_url(group_chat), {"text": "Hi", "client_id": "abc"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Message.objects.count() == 1
    assert len(events(f"group:{trip.pk}")) == 1


def test_idempotency_key_header_is_the_client_id(alice, trip, group_chat, client_for, events):
    client = client_for(alice)
    headers = {"Idempotency-Key": "key-7"}
    first = client.post(messages_url(group_chat), {"text": "Hi"}, format="json", headers=headers)
    again = client.post(messages_url(group_chat), {"text": "Hi"}, format="json", headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["client_id"] == "key-7"
    assert again.json()["id"] == first.json()["id"]
    assert len(events(f"group:{trip.pk}")) == 1


def test_body_client_id_wins_over_the_header(alice, group_chat, client_for):
    body = (
        client_for(alice)
        .post(
            messages_url(group_chat),
            {"text": "Hi", "client_id": "from-body"},
            format="json",
            headers={"Idempotency-Key": "from-header"},
        )
        .json()
    )

    assert body["client_id"] == "from-body"


def test_same_client_id_from_two_people_gives_two_messages(alice, bob, group_chat, client_for):
    for user in (alice, bob):
        response = client_for(user).post(
            messages_url(group_chat), {"text": "Hi", "client_id": "same"}, format="json"
        )
        assert response.status_code == 201
    assert Message.objects.count() == 2


def test_messages_without_client_id_are_never_merged(alice, group_chat, client_for):
    client = client_for(alice)
    for _ in range(2):
        assert (
            client.post(messages_url(group_chat), {"text": "Hi"}, format="json").status_code == 201
        )
    assert Message.objects.count() == 2


def test_concurrent_retry_losing_the_insert_race_returns_the_winner(
    alice, trip, group_chat, events
):
    winner, _ = services.message_send(
        actor=alice, conversation=group_chat, text="Hi", client_id="race"
    )
    # Simulate the race: the pre-check misses the row the other request is inserting, so our
    # INSERT hits the unique constraint; the service must answer with the winner's message.
    with mock.patch.object(message_services, "_existing_send", side_effect=[None, winner]):
        message, created = services.message_send(
            actor=alice, conversation=group_chat, text="Hi", client_id="race"
        )

    assert (message.pk, created) == (winner.pk, False)
    assert Message.objects.count() == 1
    assert len(events(f"group:{trip.pk}")) == 1


def test_header_longer_than_64_characters_is_rejected(alice, group_chat, client_for):
    response = client_for(alice).post(
        messages_url(group_chat),
        {"text": "Hi"},
        format="json",
        headers={"Idempotency-Key": "k" * 65},
    )

    error = assert_error(response, 400, "invalid")
    assert "client_id" in error["fields"]
    assert Message.objects.count() == 0


# ---------------------------------------------------------------- bad input
BAD_BODIES = [
    pytest.param({}, "text", id="no-text"),
    pytest.param({"text": "   "}, "text", id="blank-text"),
    pytest.param({"text": "x" * 4001}, "text", id="text-too-long"),
    pytest.param({"text": "x" * 10_000}, "text", id="text-10k"),
    pytest.param({"text": 42}, "text", id="text-number"),
    pytest.param({"text": ["a"]}, "text", id="text-list"),
    pytest.param({"text": {"a": 1}}, "text", id="text-object"),
    pytest.param({"kind": "system", "text": "I am root"}, "kind", id="system-kind"),
    pytest.param({"kind": "sticker", "text": "x"}, "kind", id="unknown-kind"),
    pytest.param({"kind": ["text"], "text": "x"}, "kind", id="kind-list"),
    pytest.param({"kind": "location", "lng": 1}, "lat", id="location-no-lat"),
    pytest.param({"kind": "location", "lat": 1}, "lng", id="location-no-lng"),
    pytest.param({"kind": "location", "lat": 90.5, "lng": 1}, "lat", id="lat-out-of-range"),
    pytest.param({"kind": "location", "lat": 1, "lng": -181}, "lng", id="lng-out-of-range"),
    pytest.param({"kind": "location", "lat": "north", "lng": 1}, "lat", id="lat-word"),
    pytest.param({"kind": "location", "lat": True, "lng": 1}, "lat", id="lat-bool"),
    pytest.param({"kind": "location", "lat": "nan", "lng": 1}, "lat", id="lat-nan"),
    pytest.param({"kind": "location", "lat": "1e999", "lng": 1}, "lat", id="lat-inf"),
    pytest.param({"text": "hi", "lat": 1, "lng": 2}, "lat", id="coords-on-text"),
    pytest.param({"text": "hi", "location_name": "Pier"}, "location_name", id="place-on-text"),
    pytest.param(
        {"kind": "location", "lat": 1, "lng": 2, "location_name": "x" * 201},
        "location_name",
        id="place-name-too-long",
    ),
    pytest.param(
        {"kind": "location", "lat": 1, "lng": 2, "location_name": 7},
        "location_name",
        id="place-name-number",
    ),
    pytest.param({"kind": "location", "lat": -90.000001, "lng": 0}, "lat", id="lat-below-range"),
    pytest.param({"kind": "location", "lat": 0, "lng": 180.5}, "lng", id="lng-above-range"),
    pytest.param({"text": "hi", "client_id": "c" * 65}, "client_id", id="client-id-too-long"),
    pytest.param({"text": "hi", "client_id": 7}, "client_id", id="client-id-number"),
    pytest.param({"text": "hi", "reply_to": 999_999}, "reply_to", id="reply-to-unknown"),
    pytest.param({"text": "hi", "reply_to": "abc"}, "reply_to", id="reply-to-word"),
    pytest.param({"text": "hi", "reply_to": 10**30}, "reply_to", id="reply-to-huge"),
    pytest.param({"text": "hi", "reply_to": -1}, "reply_to", id="reply-to-negative"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_message_is_rejected_and_nothing_is_written(
    alice, trip, group_chat, client_for, events, body, field
):
    response = client_for(alice).post(messages_url(group_chat), body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error
    assert Message.objects.count() == 0
    assert events(f"group:{trip.pk}") == []
    assert not ReadState.objects.exists()


def test_reply_to_a_message_of_another_conversation_is_rejected(
    alice, bob, group_chat, direct, client_for, say
):
    elsewhere = say(bob, direct, "psst")

    response = client_for(alice).post(
        messages_url(group_chat), {"text": "hi", "reply_to": elsewhere.pk}, format="json"
    )

    assert "reply_to" in assert_error(response, 400)["fields"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    [b"[1, 2]", b'"text"', b"not json", b'{"text": NaN}', b"null"],
    ids=["list", "string", "garbage", "nan", "null"],
)
def test_body_that_is_not_an_object_is_rejected(alice, group_chat, client_for, raw):
    response = client_for(alice).post(
        messages_url(group_chat), raw, content_type="application/json"
    )

    assert_error(response, 400)
    assert Message.objects.count() == 0


def test_form_encoded_body_is_refused(alice, group_chat, client_for):
    response = client_for(alice).post(messages_url(group_chat), {"text": "hi"})

    assert_error(response, 415)
    assert Message.objects.count() == 0


def test_ten_thousand_character_client_id_header_is_refused(alice, group_chat, client_for):
    response = client_for(alice).post(
        messages_url(group_chat),
        {"text": "hi"},
        format="json",
        headers={"Idempotency-Key": "k" * 10_000},
    )

    assert_error(response, 400)
    assert Message.objects.count() == 0


def test_system_messages_are_posted_by_other_apps_only(alice, trip, group_chat, events):
    with pytest.raises(InvalidInput):
        services.message_send(actor=alice, conversation=group_chat, kind="system", text="x")

    message = services.message_post_system(conversation=group_chat, text="Bob joined")

    assert (message.kind, message.sender) == ("system", None)
    [(_, name, payload)] = events(f"group:{trip.pk}")
    assert name == "group.message_sent"
    assert payload["sender"] is None and payload["kind"] == "system"
    assert Conversation.objects.get(pk=group_chat.pk).last_message_at == message.created_at


def test_emoji_and_other_scripts_round_trip(alice, group_chat, client_for):
    text = "Obrigado 🙏 — 東京 " + "🌍" * 3900

    body = client_for(alice).post(messages_url(group_chat), {"text": text}, format="json").json()

    assert body["text"] == text.strip()
    assert Message.objects.get(pk=body["id"]).text == text.strip()


@pytest.mark.parametrize("field", ["text", "client_id"])
def test_unencodable_text_is_rejected(alice, group_chat, client_for, field):
    body = {"text": "hi", field: "bad \ud800 surrogate"}
    raw = json.dumps(body)  # escapes the lone surrogate as \ud800, as a buggy client would

    response = client_for(alice).post(
        messages_url(group_chat), raw, content_type="application/json"
    )

    assert field in assert_error(response, 400)["fields"]
    assert Message.objects.count() == 0


def test_nul_characters_are_rejected(alice, group_chat, client_for):
    response = client_for(alice).post(messages_url(group_chat), {"text": "a\x00b"}, format="json")

    assert_error(response, 400)
    assert Message.objects.count() == 0
