"""Image and file messages: an upload of the sender's that nothing shows yet becomes the
message's attachment; members (only) get its signed URLs; deleting the message deletes it."""

import time

import pytest
import time_machine

from planpal.chat import services
from planpal.files.models import Upload
from planpal.files.services import uploads_delete_orphans
from planpal.groups.services import group_delete, member_remove
from planpal.notifications.models import Notification
from planpal.realtime.models import Event
from tests.chat.conftest import messages_url
from tests.conftest import assert_error
from tests.files import images
from tests.files.conftest import fetch, upload_file

pytestmark = pytest.mark.django_db


def upload(client, data: bytes | None = None, name="beach.png", content_type="image/png"):
    data = images.image_bytes("PNG", size=(40, 30)) if data is None else data
    response = client.post(
        "/api/v1/uploads", {"file": upload_file(data, name, content_type)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    return response.json()


def send(client, conversation, **fields):
    return client.post(messages_url(conversation), fields, format="json")


def test_a_photo_message_shows_the_upload_to_every_member(
    alice, bob, trip, group_chat, client_for, events, store
):
    photo = upload(client_for(alice))

    response = send(client_for(alice), group_chat, kind="image", upload=photo["id"], text="Beach")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["text"]) == ("image", "Beach")
    assert body["attachment"] == {
        "id": photo["id"],
        "kind": "image",
        "content_type": "image/png",
        "name": "beach.png",
        "size": photo["size"],
        "width": 40,
        "height": 30,
    }
    # The event is the REST message: a description, no URL (it would be replayed expired).
    assert events(f"group:{trip.pk}") == [(1, "group.message_sent", body)]
    # Bob may now fetch the file through a fresh signed URL; the thumbnail too.
    detail = client_for(bob).get(f"/api/v1/uploads/{photo['id']}").json()
    status, content, _ = fetch(detail["url"])
    assert status == 200 and content.startswith(b"\x89PNG")
    redirect = client_for(bob).get(f"/api/v1/uploads/{photo['id']}/content?variant=thumbnail")
    assert redirect.status_code == 302 and fetch(redirect["Location"])[0] == 200


def test_a_file_message_reaches_both_people_of_a_direct_chat(
    alice, bob, carol, direct, client_for, events, local_store
):
    pdf = upload(client_for(alice), images.PDF, "Tickets.pdf", "application/pdf")

    body = send(client_for(alice), direct, kind="file", upload=pdf["id"]).json()

    assert (body["kind"], body["text"], body["attachment"]["name"]) == ("file", "", "Tickets.pdf")
    for user in (alice, bob):
        [(_, name, payload)] = events(f"user:{user.pk}", prefix="direct.")
        assert (name, payload) == ("direct.message_sent", body)
    assert client_for(bob).get(f"/api/v1/uploads/{pdf['id']}").status_code == 200
    assert_error(client_for(carol).get(f"/api/v1/uploads/{pdf['id']}"), 404, "not_found")


def test_strangers_and_removed_members_cannot_fetch_the_attachment(
    alice, bob, dave, trip, group_chat, client_for, store, settings
):
    settings.FILES_URL_TTL_SECONDS = 60
    photo = upload(client_for(alice))
    send(client_for(alice), group_chat, kind="image", upload=photo["id"])
    held = client_for(bob).get(f"/api/v1/uploads/{photo['id']}").json()["url"]

    member_remove(actor=alice, group_id=trip.pk, user_id=bob.pk)

    for user in (dave, bob):
        for path in (f"/api/v1/uploads/{photo['id']}", f"/api/v1/uploads/{photo['id']}/content"):
            assert_error(client_for(user).get(path), 404, "not_found")
    if store.kind == "local":
        # The link Bob already holds works until it expires, then never again.
        with time_machine.travel(time.time() + 61, tick=False):
            assert fetch(held)[0] == 403
    assert client_for(alice).get(f"/api/v1/uploads/{photo['id']}").status_code == 200


def test_deleting_the_message_deletes_its_file(
    alice, bob, group_chat, client_for, local_store, django_capture_on_commit_callbacks
):
    photo = upload(client_for(alice))
    message = send(client_for(alice), group_chat, kind="image", upload=photo["id"]).json()
    url = client_for(bob).get(f"/api/v1/uploads/{photo['id']}").json()["url"]

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = client_for(alice).delete(f"/api/v1/messages/{message['id']}").json()

    assert tombstone["attachment"] is None and tombstone["deleted_at"] is not None
    assert not Upload.objects.filter(pk=photo["id"]).exists()
    assert local_store.keys() == []
    assert fetch(url)[0] == 404
    assert_error(client_for(alice).get(f"/api/v1/uploads/{photo['id']}"), 404, "not_found")


def test_an_admin_deleting_a_photo_frees_the_senders_quota(
    alice, bob, carol, group_chat, client_for, local_store
):
    photo = upload(client_for(bob))
    message, _ = services.message_send(
        actor=bob, conversation=group_chat, kind="image", upload_id=photo["id"]
    )

    services.message_delete(actor=carol, message_id=message.pk)

    assert not Upload.objects.filter(owner=bob).exists()


def test_an_upload_is_shown_by_one_message_only(alice, group_chat, direct, client_for, local_store):
    photo = upload(client_for(alice))
    assert send(client_for(alice), group_chat, kind="image", upload=photo["id"]).status_code == 201

    for conversation in (group_chat, direct):
        again = send(client_for(alice), conversation, kind="image", upload=photo["id"])
        assert_error(again, 409, "upload_in_use")
    # An attached upload can no longer be taken back: delete the message instead.
    assert_error(client_for(alice).delete(f"/api/v1/uploads/{photo['id']}"), 409, "upload_in_use")


def test_a_retried_send_does_not_use_the_upload_twice(alice, group_chat, client_for, local_store):
    photo = upload(client_for(alice))
    fields = {"kind": "image", "upload": photo["id"], "client_id": "photo-1"}

    first = send(client_for(alice), group_chat, **fields)
    retry = send(client_for(alice), group_chat, **fields)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        pytest.param({"kind": "image"}, 400, "upload", id="image-without-upload"),
        pytest.param({"kind": "file", "upload": None}, 400, "upload", id="file-upload-null"),
        pytest.param({"kind": "image", "upload": 999_999}, 400, "upload", id="missing-upload"),
        pytest.param({"kind": "image", "upload": "abc"}, 400, "upload", id="upload-word"),
        pytest.param({"kind": "text", "text": "hi", "upload": "own"}, 400, "upload", id="on-text"),
        pytest.param(
            {"kind": "location", "lat": 1, "lng": 2, "upload": "own"}, 400, "upload", id="on-place"
        ),
        pytest.param({"kind": "file", "upload": "own"}, 400, "upload", id="image-as-file"),
        pytest.param({"kind": "image", "upload": "bobs"}, 400, "upload", id="someone-elses"),
        pytest.param({"kind": "image", "upload": "own", "lat": 1}, 400, "lat", id="coords"),
        pytest.param({"kind": "sticker", "upload": "own"}, 400, "kind", id="unknown-kind"),
        pytest.param({"kind": "system", "text": "hi"}, 400, "kind", id="system-kind"),
    ],
)
def test_bad_attachment_sends_are_refused_and_change_nothing(
    alice, bob, group_chat, client_for, local_store, fields, status, field
):
    ids = {"own": upload(client_for(alice))["id"], "bobs": upload(client_for(bob))["id"]}
    fields = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}

    error = assert_error(send(client_for(alice), group_chat, **fields), status)

    assert field in error["fields"], error
    assert not group_chat.messages.exists()
    assert not Upload.objects.exclude(attached_to="").exists()
    assert not Event.objects.filter(topic__startswith="group:").exists()


def test_a_pdf_is_not_an_image(alice, group_chat, client_for, local_store):
    pdf = upload(client_for(alice), images.PDF, "a.pdf", "application/pdf")
    error = assert_error(send(client_for(alice), group_chat, kind="image", upload=pdf["id"]), 400)
    assert "upload" in error["fields"]


def test_the_caption_of_a_photo_can_be_edited_and_emptied(
    alice, group_chat, client_for, local_store
):
    photo = upload(client_for(alice))
    message = send(client_for(alice), group_chat, kind="image", upload=photo["id"], text="x")
    url = f"/api/v1/messages/{message.json()['id']}"

    body = client_for(alice).patch(url, {"text": ""}, format="json").json()

    assert (body["text"], body["attachment"]["id"]) == ("", photo["id"])


def test_orphan_collection_keeps_attached_files_and_takes_deleted_groups(
    alice, trip, group_chat, client_for, local_store, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_ORPHAN_HOURS = 0
    photo = upload(client_for(alice))
    send(client_for(alice), group_chat, kind="image", upload=photo["id"])
    assert uploads_delete_orphans() == 0

    group_delete(actor=alice, group_id=trip.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert uploads_delete_orphans() == 1
    assert local_store.keys() == []


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_notifications_say_what_was_shared(alice, bob, direct, client_for, local_store):
    pdf = upload(client_for(alice), images.PDF, "Tickets.pdf", "application/pdf")
    photo = upload(client_for(alice))
    sends = [
        {"kind": "file", "upload": pdf["id"]},
        {"kind": "image", "upload": photo["id"], "text": "view!"},
        {"kind": "location", "lat": 1, "lng": 2, "location_name": "Pier"},
    ]
    bodies = []
    for fields in sends:
        send(client_for(alice), direct, **fields)
        bodies.append(Notification.objects.get(user=bob).body)

    assert bodies == [
        "Alice: sent a file: Tickets.pdf",
        "Alice: sent a photo — view!",
        "Alice: shared a location: Pier",
    ]
