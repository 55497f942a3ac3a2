"""The service worker serves the app with the server gone: a page reloaded while the server is
stopped still opens the plan, from the kept shell and this device's copies, marked offline."""

import pytest
from playwright.sync_api import expect

from tests.live import LiveServer
from tests.web.conftest import _require_chromium, wait_live
from tests.web.test_offline import activity, wait_for_service_worker


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A server of this module's own: the test stops it."""
    _require_chromium()
    live = LiveServer().start()
    yield live
    live.stop()


def test_the_service_worker_serves_the_shell_and_the_plan_opens_with_the_server_stopped(
    browsing, server, trip
):
    browsing.allow(r"WebSocket connection to .* failed|ERR_CONNECTION_REFUSED")
    page = browsing.page(browsing.person(trip.alice), f"/#/plans/{trip.plan.pk}")
    wait_live(page)
    expect(activity(page, "Market")).to_be_visible()
    wait_for_service_worker(page)

    server.stop()
    try:
        page.reload()
        expect(page.locator("h1")).to_have_text("Dalat weekend")
        expect(page.locator(".title-text")).to_have_text(["Coffee", "Market", "Lake"])
        expect(page.locator("#offline-banner")).to_contain_text("Offline: showing what")
        styled = page.evaluate("getComputedStyle(document.querySelector('.topbar')).display")
        assert styled != "inline", "the stylesheet came from the worker's cache"
    finally:
        server.start()
    wait_live(page, timeout_ms=40_000)
    expect(page.locator("#offline-banner")).to_be_hidden()
