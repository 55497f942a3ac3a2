"""The shell's language (docs/i18n.md, "Web client"): `<html lang>` and the boot JSON's
`language` are right at the first paint: the profile's language, else the language cookie the
switch sets, else Accept-Language."""

import json
import re

import pytest

from tests.conftest import PASSWORD


def _boot(response):
    found = re.search(r'<script id="boot" type="application/json">(.*?)</script>', response.text)
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_a_vietnamese_browser_gets_the_shell_in_vietnamese(client):
    response = client.get("/", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert '<html lang="vi">' in response.text
    assert _boot(response)["language"] == "vi"
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_a_language_the_client_does_not_have_reads_english(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="en">' in response.text
    assert _boot(response)["language"] == "en"


@pytest.mark.django_db
def test_the_switchs_cookie_wins_over_accept_language(client):
    client.cookies["django_language"] = "vi"
    response = client.get("/", headers={"Accept-Language": "en-US"})
    assert '<html lang="vi">' in response.text


def test_the_profiles_language_wins_over_the_browsers(client, alice):
    alice.language = "vi"
    alice.save(update_fields=["language"])
    client.login(username="alice", password=PASSWORD)
    response = client.get("/", headers={"Accept-Language": "en-US"})
    assert '<html lang="vi">' in response.text
    assert _boot(response)["me"]["language"] == "vi"


@pytest.mark.django_db
def test_the_catalogues_are_served_as_modules(client):
    for name in ("en", "vi"):
        response = client.get(f"/static/web/locale/{name}.js")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
    assert "Chuyến đi của bạn" in client.get("/static/web/locale/vi.js").content.decode()
