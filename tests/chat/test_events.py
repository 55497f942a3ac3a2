"""Chat events: names, topics and payloads; and that the events alone keep a client in sync."""

import pytest

from planpal.chat import services
from planpal.core.events import EVENT_TYPES
from planpal.notifications.models import Notification
from planpal.realtime.models import Event
from tests.chat.conftest import messages_url, read_url
from tests.files import images
from tests.files.conftest import upload_file


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_direct_message_is_announced_on_both_peoples_topics_only(
    alice, bob, carol, direct, client_for, events
):
    body = (
        client_for(alice)
        .post(messages_url(direct), {"text": "hi", "client_id": "d-1"}, format="json")
        .json()
    )

    assert events(f"user:{alice.pk}") == [(1, "direct.message_sent", body)]
    # Bob also gets a chat notification, right after the message.
    [sent, (seq, name, note)] = events(f"user:{bob.pk}")
    assert sent == (1, "direct.message_sent", body)
    assert (seq, name) == (2, "notification.created")
    assert note["id"] == Notification.objects.get(user=bob).pk
    assert (note["kind"], note["title"], note["body"], note["data"], note["count"]) == (
        "chat.message",
        "Alice",
        "Alice: hi",
        {"conversation_id": direct.pk, "message_id": body["id"]},
        1,
    )
    assert events(f"user:{carol.pk}") == []
    assert set(Event.objects.values_list("name", "client_id")) == {
        ("direct.message_sent", "d-1"),
        ("notification.created", None),
    }
    assert not Event.objects.filter(topic__startswith="group:").exists()


def test_direct_edit_and_delete_reach_both_people(alice, bob, direct, client_for, say, events):
    message = say(alice, direct, "hi")
    client = client_for(alice)
    edited = client.patch(f"/api/v1/messages/{message.pk}", {"text": "hey"}, format="json").json()
    deleted = client.delete(f"/api/v1/messages/{message.pk}").json()

    for user in (alice, bob):
        log = events(f"user:{user.pk}", prefix="direct.")
        assert [(name, payload) for _, name, payload in log][1:] == [
            ("direct.message_edited", edited),
            ("direct.message_deleted", deleted),
        ]


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_every_chat_event_matches_its_declared_schema(alice, bob, group_chat, direct, say):
    for conversation in (group_chat, direct):
        message = say(alice, conversation, "hi")
        services.message_edit(actor=alice, message_id=message.pk, text="hello")
        say(bob, conversation, "yo")
        services.conversation_mark_read(actor=alice, conversation=conversation)
        services.message_delete(actor=alice, message_id=message.pk)

    rows = list(Event.objects.all())
    # The notification planner's events on the user topics too: a first message notifies,
    # Bob's "yo" folds into Carol's unread group notification, reading clears Alice's.
    assert {row.name for row in rows} == {
        f"{prefix}.{what}"
        for prefix in ("group", "direct")
        for what in ("message_sent", "message_edited", "message_deleted", "messages_read")
    } | {"notification.created", "notification.updated", "notification.read"}
    for row in rows:
        assert EVENT_TYPES[row.name].model_validate(row.payload).data() == row.payload


def test_seqs_are_gap_free_per_topic(alice, bob, trip, group_chat, say, events):
    for _ in range(3):
        say(alice, group_chat)
        say(bob, group_chat)

    assert [seq for seq, _, _ in events(f"group:{trip.pk}")] == [1, 2, 3, 4, 5, 6]


def test_events_alone_bring_a_stale_message_list_up_to_date(
    alice, bob, carol, trip, group_chat, client_for, say
):
    say(bob, group_chat, "before")
    client = client_for(alice)
    snapshot = client.get(messages_url(group_chat)).json()
    since = snapshot["stream"]["seq"]

    first = say(bob, group_chat, "one")
    say(carol, group_chat, "two")
    services.message_edit(actor=bob, message_id=first.pk, text="one (edited)")
    services.message_delete(actor=carol, message_id=snapshot["results"][0]["id"])  # admin
    services.message_post_system(conversation=group_chat, text="Dave was invited")

    messages = {m["id"]: m for m in snapshot["results"]}
    for row in Event.objects.filter(topic=f"group:{trip.pk}", seq__gt=since).order_by("seq"):
        if row.name in ("group.message_sent", "group.message_edited", "group.message_deleted"):
            messages[row.payload["id"]] = row.payload
    fresh = client.get(messages_url(group_chat)).json()["results"]

    assert sorted(messages.values(), key=lambda m: -m["id"]) == fresh


def test_read_events_alone_keep_unread_counts_right(alice, bob, group_chat, client_for, say):
    say(bob, group_chat, "one")
    client = client_for(alice)
    client.post(read_url(group_chat), format="json")
    say(bob, group_chat, "two")

    [conversation] = client.get("/api/v1/conversations").json()["results"]

    assert conversation["unread_count"] == 1


def _quote_of(message: dict) -> dict:
    """What a client quotes from a message event (docs/realtime.md, MessageData)."""
    attachment = message["attachment"] or {}
    preview = message["text"] or message["location_name"] or attachment.get("name", "")
    return {
        "id": message["id"],
        "sender": message["sender"],
        "kind": message["kind"],
        "text": "" if message["deleted_at"] else preview[:140],
        "deleted": message["deleted_at"] is not None,
    }


def test_events_alone_keep_attachments_places_and_quotes_in_sync(
    alice, bob, carol, trip, group_chat, client_for, say, local_store
):
    photo = client_for(bob).post(
        "/api/v1/uploads", {"file": upload_file(images.image_bytes())}, format="multipart"
    )
    asked = say(alice, group_chat, "Where?")
    client = client_for(carol)
    snapshot = client.get(messages_url(group_chat)).json()

    shown, _ = services.message_send(
        actor=bob, conversation=group_chat, kind="image", upload_id=photo.json()["id"]
    )
    place, _ = services.message_send(
        actor=bob,
        conversation=group_chat,
        kind="location",
        lat=38.7,
        lng=-9.14,
        location_name="Pier",
        reply_to_id=asked.pk,
    )
    say(alice, group_chat, "that one?", reply_to_id=shown.pk)
    services.message_edit(actor=alice, message_id=asked.pk, text="Where exactly?")
    services.message_delete(actor=bob, message_id=shown.pk)

    messages = {m["id"]: m for m in snapshot["results"]}
    rows = Event.objects.filter(topic=f"group:{trip.pk}", seq__gt=snapshot["stream"]["seq"])
    for row in rows.order_by("seq"):
        messages[row.payload["id"]] = row.payload
        if row.name in ("group.message_edited", "group.message_deleted"):
            for reply in messages.values():
                if reply["reply_to"] == row.payload["id"]:
                    reply["reply_summary"] = _quote_of(row.payload)
    fresh = client.get(messages_url(group_chat)).json()["results"]

    assert sorted(messages.values(), key=lambda m: -m["id"]) == fresh
    assert [m["reply_summary"]["deleted"] for m in fresh if m["reply_summary"]] == [True, False]
    assert messages[place.pk]["reply_summary"]["text"] == "Where exactly?"
