"""The service worker serves the app with the server gone (a page reloaded while the server is
stopped still opens the plan, from the kept shell and this device's copies, marked offline), and
a deploy is offered as a new version instead of switching under the user's feet."""

import uuid

import pytest
from playwright.sync_api import expect

from planpal.web import views
from tests.live import LiveServer
from tests.web.conftest import _require_chromium, assert_not_reloaded, mark_page, wait_live
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


def test_a_deploy_offers_the_new_version_and_reloads_into_it(browsing, trip):
    page = browsing.page(browsing.person(trip.alice), "/#/")
    wait_live(page)
    wait_for_service_worker(page)
    mark_page(page)
    # A deploy: one more static file changes the worker's version and its list of files.
    deployed = views.WEB_STATIC / "web" / f"deploy-{uuid.uuid4().hex}.txt"
    deployed.write_text("a new static file\n")
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        bar = page.locator("#update-bar")
        expect(bar).to_contain_text("A new version of PlanPal is ready.")
        assert_not_reloaded(page)  # nothing switches under the user's feet
        # The reload follows the new worker's activation, after the click returns: wait for
        # that page load itself (wait_for_load_state would see the old page, already loaded).
        with page.expect_event("load"):
            bar.get_by_role("button", name="Reload").click()
        wait_live(page)
        assert page.evaluate("window.__notReloaded") is None, "the page reloaded into it"
        expect(page.locator("#update-bar")).to_have_count(0)
    finally:
        deployed.unlink()
