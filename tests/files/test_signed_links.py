"""The local store's signed links (/files/<token>) and the S3 URLs' lifetime."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import signing

from tests.conftest import assert_error
from tests.files import images
from tests.files.conftest import fetch
from tests.files.test_uploads import post

pytestmark = pytest.mark.django_db


def test_a_local_link_works_until_it_expires(client_for, alice, local_store, settings):
    settings.FILES_URL_TTL_SECONDS = 60
    url = post(client_for(alice), images.image_bytes()).json()["url"]
    with time_machine.travel(time.time() + 59, tick=False):
        assert fetch(url)[0] == 200
    with time_machine.travel(time.time() + 61, tick=False):
        status, body, _ = fetch(url)
    assert status == 403 and b"link_expired" in body


def test_a_tampered_local_link_is_refused(client_for, alice, local_store):
    url = post(client_for(alice), images.image_bytes()).json()["url"]
    token = urlsplit(url).path.rsplit("/", 1)[1]
    claims = signing.loads(token, salt="planpal.files")
    forged = signing.dumps({**claims, "e": claims["e"] + 3600}, salt="not-ours", compress=True)
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x"):
        status, body, _ = fetch(f"http://testserver/files/{bad}")
        assert status == 403 and b"link_expired" in body


def test_a_link_to_a_deleted_file_is_a_404(client_for, alice, local_store):
    url = post(client_for(alice), images.image_bytes()).json()["url"]
    for path in local_store.root.rglob("original.*"):
        path.unlink()
    status, body, _ = fetch(url)
    assert status == 404 and b"not_found" in body


def test_local_files_are_served_sandboxed_and_private(client_for, alice, local_store):
    url = post(client_for(alice), images.GPX, "ride.gpx", "application/gpx+xml").json()["url"]
    status, _, headers = fetch(url)
    assert status == 200
    assert headers["content-security-policy"].startswith("sandbox")
    assert headers["content-disposition"] == 'attachment; filename="ride.gpx"'
    assert "private" in headers["cache-control"]


def test_s3_urls_are_presigned_for_the_configured_lifetime(client_for, alice, s3_store, settings):
    body = post(client_for(alice), images.PDF, "plan.pdf", "application/pdf").json()
    query = parse_qs(urlsplit(body["url"]).query)
    assert query["X-Amz-Expires"] == [str(settings.FILES_URL_TTL_SECONDS)]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["response-content-disposition"] == ['attachment; filename="plan.pdf"']
    assert body["url_expires_in"] == settings.FILES_URL_TTL_SECONDS


def test_the_s3_objects_are_not_readable_without_a_signature(client_for, alice, s3_store):
    body = post(client_for(alice), images.image_bytes()).json()
    unsigned = body["url"].split("?", 1)[0]
    assert fetch(unsigned)[0] == 403
    assert fetch(body["url"])[0] == 200


def test_an_unknown_link_is_refused(anon, local_store):
    assert_error(anon.get("/files/nonsense"), 403, "link_expired")
