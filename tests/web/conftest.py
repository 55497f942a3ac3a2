"""Browser tests of the web client: real `planpal web` processes (tests/live.py) driven by
Playwright in Debian's Chromium. Skipped, with the reason printed, only when Chromium is missing
on a machine where PLANPAL_REQUIRE_SERVICES is unset; CI sets it, so there they must run."""

import base64
import os
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from tests.conftest import PASSWORD, make_user
from tests.factories import make_group, make_trip_plan
from tests.live import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"web tests need Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
        pytest.fail(f"PLANPAL_REQUIRE_SERVICES is set but {reason}")
    print(f"\nSKIPPING web tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop registered on this thread while a browser is
    open, and Django then refuses synchronous ORM calls (fixtures, flushes). Nothing else runs
    on that loop, so the ORM is safe here; Django documents this switch for such environments."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    _require_chromium()
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture
def trip(transactional_db):
    """alice (owner) and bob (member) share "Dalat trip", a group with an upcoming plan of three
    activities on its first day (times in UTC)."""
    alice = make_user("alice", display_name="Alice Nguyen")
    bob = make_user("bob", display_name="Bob Tran")
    group = make_group("Dalat trip", owner=alice, members=[bob])
    start = (timezone.now() + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    plan = make_trip_plan(group, creator=alice, start=start, title="Dalat weekend", timezone="UTC")
    activities = plan.activities_made
    return SimpleNamespace(alice=alice, bob=bob, group=group, plan=plan, activities=activities)


def api_as(server, user) -> httpx.Client:
    """A REST client acting as `user` (JWT), for changes made "elsewhere" during a test."""
    return httpx.Client(
        base_url=f"{server.url}/api/v1",
        headers={"Authorization": f"Bearer {AccessToken.for_user(user)}"},
        timeout=10,
    )


BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class Browsing:
    """Browser contexts (one per person) that collect console errors and uncaught exceptions."""

    def __init__(self, browser, server) -> None:
        self.browser = browser
        self.server = server
        self.contexts = []
        self.problems: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """A console error the test provokes on purpose (e.g. the browser logging a 409)."""
        self.allowed.append(re.compile(pattern))

    def person(self, user=None, *, viewport=(1200, 800), locale=None):
        """`locale` (e.g. "vi-VN") sets the browser's languages and its Accept-Language."""
        context = self.browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, locale=locale
        )
        return self._prepared(context, user)

    def persistent(self, profile: Path, user=None):
        """A whole browser of its own on the profile directory `profile`, as a person's own
        browser keeps it (cookies, IndexedDB, the service worker) across a restart: close
        the context to quit that browser, call again with the same directory to start it."""
        context = self.browser.browser_type.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 800},
        )
        return self._prepared(context, user)

    def _prepared(self, context, user):
        context.set_default_timeout(10_000)
        # No internet here: the map's tile host (MAP_TILE_URL's default) gets a blank tile, so
        # pages with a map load tiles under the CSP as they would live, without console errors.
        context.route(
            re.compile(r"^https://tile\.openstreetmap\.org/"),
            lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
        )
        self.contexts.append(context)
        if user is not None:
            answer = context.request.post(
                f"{self.server.url}/api/v1/auth/login",
                data={"username": user.username, "password": PASSWORD},
            )
            assert answer.ok, answer.text()
        return context

    def page(self, context, path: str = "/"):
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.goto(f"{self.server.url}{path}")
        return page

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        if any(pattern.search(message.text) for pattern in self.allowed):
            return
        self.problems.append(f"console error on {page.url}: {message.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, server, transactional_db):
    # Depends on the database so that the pages close before the test's data is flushed (an
    # open page would otherwise see its session vanish and log the 401s).
    session = Browsing(browser, server)
    yield session
    session.close()
    assert session.problems == [], "\n".join(session.problems)


def wait_live(page, timeout_ms: float | None = None) -> None:
    """The connection indicator says the page receives changes."""
    page.locator('#connection[data-state="connected"]').wait_for(timeout=timeout_ms)


def mark_page(page) -> None:
    """Tag the running page; `assert_not_reloaded` proves later that it was never reloaded."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
