"""The installable app as Django serves it: the manifest, and the service worker at the site
root with the version and the list of files it keeps (no browser needed)."""

import json
import re

import pytest

from planpal.web import views


def worker_head(response) -> tuple[str, list[str]]:
    text = response.content.decode()
    version = json.loads(re.search(r"^const VERSION = (.*);$", text, re.M).group(1))
    shell = json.loads(re.search(r"^const SHELL = (.*);$", text, re.M).group(1))
    return version, shell


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root_with_its_version_and_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    version, shell = worker_head(response)
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert {"/static/web/app.js", "/static/web/app.css", "/static/web/offline/install.js"} <= set(
        shell
    )
    assert "/static/web/sw.js" not in shell
    assert all(client.get(url).status_code == 200 for url in shell[:5])


@pytest.mark.django_db
def test_a_changed_static_file_changes_the_workers_version(client, monkeypatch):
    before, _ = worker_head(client.get("/sw.js"))
    real_load = views._load

    def edited(path):
        loaded = real_load(path)
        if path == "web/app.js" and loaded is not None:
            return views.StaticFile(loaded.mtime_ns, loaded.body + b"\n", '"edited"', "")
        return loaded

    monkeypatch.setattr(views, "_load", edited)
    after, _ = worker_head(client.get("/sw.js"))
    assert after != before


@pytest.mark.django_db
def test_the_manifest_describes_an_installable_app_and_the_shell_links_it(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert client.get(manifest["icons"][0]["src"]).status_code == 200
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").text


@pytest.mark.django_db
def test_the_worker_and_manifest_refuse_writes(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405
