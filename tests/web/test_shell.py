"""The app shell and its static files, as Django serves them (no browser needed)."""

import json
import re

import pytest
from django.conf import settings

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_the_shell_sets_the_csrf_cookie_and_embeds_no_user_when_signed_out(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    boot = re.search(r'<script id="boot" type="application/json">(.*?)</script>', response.text)
    assert json.loads(boot.group(1))["me"] is None


@pytest.mark.django_db
def test_the_shell_hands_the_map_tiles_to_the_client_and_allows_their_host_in_the_csp(client):
    response = client.get("/")
    boot = re.search(r'<script id="boot" type="application/json">(.*?)</script>', response.text)
    tiles = json.loads(boot.group(1))["map"]["tiles"]
    assert tiles == settings.MAP_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    img_src = re.search(r"img-src ([^;]*)", response["Content-Security-Policy"]).group(1)
    assert "https://tile.openstreetmap.org" in img_src.split()


def test_the_shell_embeds_the_signed_in_user(client, alice):
    client.login(username="alice", password=PASSWORD)
    response = client.get("/")
    boot = re.search(r'<script id="boot" type="application/json">(.*?)</script>', response.text)
    assert json.loads(boot.group(1))["me"]["username"] == "alice"


@pytest.mark.django_db
def test_static_files_are_served_with_a_module_type_and_revalidated_by_etag(client):
    response = client.get("/static/web/realtime.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"export class RealtimeClient" in response.content
    again = client.get("/static/web/realtime.js", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/static/web/missing.js",
        "/static/../config/settings.py",
        "/static/%2e%2e/x",
        "/static//etc/passwd",
    ],
)
def test_unknown_or_escaping_static_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_an_invite_link_opens_the_apps_invite_page_with_the_token_out_of_the_path(client):
    response = client.get("/invites/AbC-123_x")
    assert response.status_code == 302
    assert response["Location"] == "/#/invites/AbC-123_x"
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.post("/invites/AbC-123_x").status_code == 405
