"""The app shell and the static files it needs, served by Django itself.

Static files are served here, not by `runserver` or a CDN, so that `planpal web` (uvicorn) serves
a working client in DEBUG and non-DEBUG alike without a collectstatic step. Files are found with
Django's static finders (so the admin's CSS works too), read whole (they are small) and answered
with an ETag; `Cache-Control: no-cache` makes browsers revalidate, which costs a 304.
"""

import hashlib
import json
import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from planpal.accounts.serializers import MeSerializer
from planpal.core.i18n import supported

# The client is ES modules: browsers refuse them with the wrong type whatever the OS's mime table.
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


def _map_config() -> dict[str, str]:
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


@require_safe
@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    """The single-page app; it signs in through the API and routes with the URL fragment. The
    signed-in user is embedded, so a signed-out visitor's first request is not a 401."""
    me = MeSerializer(request.user).data if request.user.is_authenticated else None
    # The request's language (planpal.core.i18n: the profile, else the switch's cookie or
    # Accept-Language), so the first paint and `<html lang>` are right before any script runs.
    language = supported(translation.get_language()) or settings.LANGUAGE_CODE
    boot = {"me": me, "map": _map_config(), "language": language}
    response = render(request, "web/index.html", {"boot": boot, "language": language})
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """An invite link (`/invites/<token>`, made by the invites API) opens the app's invite page,
    which offers to sign in or sign up and then join. The token moves into the URL fragment, so
    it is not sent again to the server or in a Referer."""
    response = HttpResponseRedirect(f"/#/invites/{quote(token, safe='')}")
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@dataclass(frozen=True)
class StaticFile:
    mtime_ns: int
    body: bytes
    etag: str
    content_type: str


_found: dict[str, Path] = {}  # URL path → file on disk
_loaded: dict[Path, StaticFile] = {}


def _load(path: str) -> StaticFile | None:
    """The file's bytes, read again only when it changed on disk (edits show without a
    restart; production pays one stat per request)."""
    found = _found.get(path)
    if found is None:
        located = finders.find(path)
        if not located:
            return None
        found = _found[path] = Path(located)
    try:
        mtime_ns = found.stat().st_mtime_ns
    except OSError:
        _found.pop(path, None)
        return None
    cached = _loaded.get(found)
    if cached is not None and cached.mtime_ns == mtime_ns:
        return cached
    if not found.is_file():
        return None
    body = found.read_bytes()
    content_type = CONTENT_TYPES.get(found.suffix.lower()) or (
        mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    )
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    loaded = _loaded[found] = StaticFile(mtime_ns, body, etag, content_type)
    return loaded


# ---------------------------------------------------------------------------- installable app
WEB_STATIC = Path(__file__).resolve().parent / "static"
WORKER_SOURCE = "web/sw.js"  # served at /sw.js (below), so its scope is the whole site


def shell_files() -> list[str]:
    """The client's static files (relative to the static root), which the service worker
    keeps for offline use: every file of the app's static folder but the worker itself."""
    files = (path.relative_to(WEB_STATIC).as_posix() for path in WEB_STATIC.rglob("*"))
    return sorted(name for name in files if (WEB_STATIC / name).is_file() and name != WORKER_SOURCE)


def shell_version(files: list[str]) -> str:
    """A hash of every shell file's content (their ETags) and of the worker: a deploy that
    changes any of them changes the worker's bytes, which is what makes browsers update it."""
    digest = hashlib.sha256()
    for name in [*files, WORKER_SOURCE]:
        loaded = _load(name)
        digest.update(f"{name}={loaded.etag if loaded else '-'}\n".encode())
    return digest.hexdigest()[:16]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (static/web/sw.js) with its version and the URLs it caches
    prepended. Served from the site root: a worker controls only pages under its own path."""
    source = _load(WORKER_SOURCE)
    if source is None:
        raise Http404("Not found.")
    files = shell_files()
    urls = [settings.STATIC_URL + name for name in files]
    head = (
        f"const VERSION = {json.dumps(shell_version(files))};\nconst SHELL = {json.dumps(urls)};\n"
    )
    response = HttpResponse(head.encode() + source.body, content_type=CONTENT_TYPES[".js"])
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a browser needs to install PlanPal as an app."""
    icon = settings.STATIC_URL + "web/icon.svg"
    body = {
        "name": "PlanPal",
        "short_name": "PlanPal",
        "description": "Plan trips together and see every change live.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def static_file(request: HttpRequest, path: str) -> HttpResponse:
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized.startswith("..") or "\\" in normalized or "\x00" in normalized:
        raise Http404("Not found.")
    found = _load(normalized)
    if found is None:
        raise Http404("Not found.")
    response: HttpResponse
    if request.headers.get("If-None-Match") == found.etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(found.body, content_type=found.content_type)
    response["ETag"] = found.etag
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
