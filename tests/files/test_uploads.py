"""POST /api/v1/uploads and what it keeps: against the real S3 API server and the local disk."""

import io

import pytest
from PIL import Image

from planpal.files.models import Upload
from tests.conftest import assert_error
from tests.files import images
from tests.files.conftest import fetch, upload_file

pytestmark = pytest.mark.django_db


def post(client, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return client.post(
        "/api/v1/uploads", {"file": upload_file(data, name, content_type)}, format="multipart"
    )


def test_an_uploaded_photo_comes_back_through_its_signed_url(client_for, alice, store):
    data = images.image_bytes("PNG", size=(40, 30))
    response = post(client_for(alice), data, "beach.png", "image/png")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "image" and body["content_type"] == "image/png"
    assert (body["width"], body["height"]) == (40, 30)
    assert body["name"] == "beach.png"
    status, content, headers = fetch(body["url"])
    assert status == 200
    assert headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(content)).size == (40, 30)
    status, thumbnail, _ = fetch(body["thumbnail_url"])
    assert status == 200 and Image.open(io.BytesIO(thumbnail)).format == "WEBP"
    assert len(store.keys()) == 2  # the photo and its thumbnail


def test_a_photo_loses_its_gps_position_and_stands_upright(client_for, alice, store):
    original = Image.open(io.BytesIO(images.photo_with_gps()))
    assert original.getexif().get_ifd(images.GPS_IFD)  # the test photo does carry GPS
    response = post(client_for(alice), images.photo_with_gps())
    assert response.status_code == 201, response.content
    status, content, _ = fetch(response.json()["url"])
    assert status == 200
    stored = Image.open(io.BytesIO(content))
    exif = stored.getexif()
    assert dict(exif.get_ifd(images.GPS_IFD)) == {}
    assert images.GPS_IFD not in exif and images.MAKE not in exif
    assert images.ORIENTATION not in exif
    assert b"PlanPal Camera" not in content
    # Turned upright: 80 x 40 with orientation 6 is shown 40 x 80, the red half on top.
    assert stored.size == (40, 80)
    red, _, blue = stored.convert("RGB").getpixel((20, 5))
    assert red > 200 and blue < 60


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type"),
    [
        (images.image_bytes("JPEG"), "a.jpg", "image", "image/jpeg"),
        (images.image_bytes("WEBP"), "a.webp", "image", "image/webp"),
        (images.animated_gif(), "a.gif", "image", "image/gif"),
        (images.heic_bytes(), "IMG_0001.HEIC", "image", "image/jpeg"),
        (images.PDF, "tickets.pdf", "file", "application/pdf"),
        (images.GPX, "ride.gpx", "file", "application/gpx+xml"),
    ],
)
def test_each_allowed_type_is_taken(client_for, alice, local_store, data, name, kind, content_type):
    response = post(client_for(alice), data, name, "application/octet-stream")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["content_type"]) == (kind, content_type)
    status, content, headers = fetch(body["url"])
    assert status == 200 and headers["content-type"] == content_type
    if kind == "file":
        assert content == data  # kept as it is, and offered as a download
        assert headers["content-disposition"].startswith("attachment;")
        assert body["thumbnail_url"] is None
    assert headers["x-content-type-options"] == "nosniff"


def test_a_heic_photo_becomes_a_jpeg_named_so(client_for, alice, local_store):
    body = post(client_for(alice), images.heic_bytes(), "IMG_0001.HEIC", "image/heic").json()
    assert body["name"] == "IMG_0001.jpg"
    _, content, _ = fetch(body["url"])
    assert Image.open(io.BytesIO(content)).format == "JPEG"


def test_an_animated_gif_keeps_its_frames_but_not_its_comment(client_for, alice, local_store):
    body = post(client_for(alice), images.animated_gif(), "wave.gif", "image/gif").json()
    _, content, _ = fetch(body["url"])
    stored = Image.open(io.BytesIO(content))
    assert stored.n_frames == 2
    assert b"taken at home" not in content


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (images.WINDOWS_PROGRAM, "photo.jpg", "image/jpeg"),
        (images.HTML_PAGE, "photo.png", "image/png"),
        (images.SVG, "map.svg", "image/svg+xml"),
        (images.XML_BOMB_GPX, "ride.gpx", "application/gpx+xml"),
        (b"just some text, nothing else", "notes.pdf", "application/pdf"),
    ],
)
def test_a_disguised_file_is_refused_by_its_content(
    client_for, alice, store, data, name, content_type
):
    response = post(client_for(alice), data, name, content_type)
    error = assert_error(response, 415, "unsupported_file_type")
    assert "JPEG, PNG, WebP, HEIC, GIF, PDF, GPX" in error["message"]
    assert Upload.objects.count() == 0 and store.keys() == []


def test_the_refusal_names_what_the_file_looks_like(client_for, alice, local_store):
    error = assert_error(post(client_for(alice), images.WINDOWS_PROGRAM), 415)
    assert "portable-executable" in error["message"]


def test_a_damaged_image_is_refused_as_damaged(client_for, alice, store):
    broken = images.image_bytes("JPEG", size=(400, 300))[:200]
    assert_error(post(client_for(alice), broken), 400, "invalid_image")
    assert Upload.objects.count() == 0 and store.keys() == []


def test_an_oversized_file_is_refused_and_nothing_is_stored(client_for, alice, store, settings):
    settings.UPLOAD_MAX_MB = 1
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = images.PDF + b"%" * (1024 * 1024)
    error = assert_error(post(client_for(alice), data, "big.pdf"), 413, "file_too_large")
    assert "at most 1 MB" in error["message"]
    assert Upload.objects.count() == 0 and store.keys() == []


def test_the_quota_stops_uploads_that_do_not_fit(client_for, alice, bob, store, settings):
    settings.UPLOAD_QUOTA_BYTES = 1500
    first = post(client_for(alice), images.PDF + b"%" * 800, "a.pdf")
    assert first.status_code == 201
    kept = store.keys()
    error = assert_error(post(client_for(alice), images.PDF + b"%" * 800, "b.pdf"), 413)
    assert error["code"] == "quota_exceeded"
    assert store.keys() == kept and Upload.objects.count() == 1
    # The quota is per user: bob still has his.
    assert post(client_for(bob), images.PDF + b"%" * 800, "c.pdf").status_code == 201


def test_discarding_an_unsent_upload_frees_its_space(
    client_for, alice, store, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_QUOTA_BYTES = 1500
    client = client_for(alice)
    first = post(client, images.PDF + b"%" * 800, "a.pdf").json()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/uploads/{first['id']}").status_code == 204
    assert store.keys() == []
    assert post(client, images.PDF + b"%" * 800, "b.pdf").status_code == 201


def test_an_upload_needs_a_file(client_for, alice, local_store):
    client = client_for(alice)
    assert_error(client.post("/api/v1/uploads", {}, format="multipart"), 400, "invalid")
    empty = client.post("/api/v1/uploads", {"file": upload_file(b"", "x.jpg")}, format="multipart")
    assert_error(empty, 400, "invalid")
    as_json = client.post("/api/v1/uploads", {"file": "aGVsbG8="}, format="json")
    assert as_json.status_code == 415


def test_nobody_else_sees_an_unsent_upload(client_for, alice, bob, anon, store):
    body = post(client_for(alice), images.image_bytes()).json()
    for path in (f"/api/v1/uploads/{body['id']}", f"/api/v1/uploads/{body['id']}/content"):
        assert_error(client_for(bob).get(path), 404, "not_found")
        assert anon.get(path).status_code == 401
    assert client_for(bob).delete(f"/api/v1/uploads/{body['id']}").status_code == 404
    assert client_for(alice).get(f"/api/v1/uploads/{body['id']}").status_code == 200


def test_the_content_route_redirects_to_a_fresh_signed_url(client_for, alice, store):
    body = post(client_for(alice), images.image_bytes()).json()
    response = client_for(alice).get(f"/api/v1/uploads/{body['id']}/content?variant=thumbnail")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    status, content, _ = fetch(response["Location"])
    assert status == 200 and Image.open(io.BytesIO(content)).format == "WEBP"
