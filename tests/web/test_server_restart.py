"""The server goes away and comes back: the page backs off, reconnects by itself, and when the
server cannot replay what it missed (`recovered: false`) reloads the plan over REST."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from planpal.plans import services
from tests.live import LiveServer
from tests.web.conftest import _require_chromium, assert_not_reloaded, mark_page, wait_live


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A server that replays at most two events: more missed ones answer recovered:false."""
    _require_chromium()
    live = LiveServer(WS_MAX_REPLAY="2").start()
    yield live
    live.stop()


def test_after_a_restart_the_page_reconnects_and_reloads_what_could_not_be_replayed(
    browsing, server, trip
):
    browsing.allow(r"WebSocket connection to .* failed")  # attempts while the server is down
    page = browsing.page(browsing.person(trip.bob), f"/#/plans/{trip.plan.pk}")
    wait_live(page)
    expect(page.locator(".title-text")).to_have_text(["Coffee", "Market", "Lake"])
    mark_page(page)
    plan_url = f"{server.url}/api/v1/plans/{trip.plan.pk}"
    reloads = []
    page.on("request", lambda request: reloads.append(1) if request.url == plan_url else None)

    server.stop()
    expect(page.locator("#connection")).to_have_text("Reconnecting…")
    coffee, market, lake = trip.activities
    alice = trip.alice
    services.activity_complete(actor=alice, activity_id=coffee.pk)
    services.activity_update(actor=alice, activity_id=market.pk, version=1, title="Night market")
    services.activity_delete(actor=alice, activity_id=lake.pk)
    start = trip.plan.start_at + timedelta(hours=12)
    services.activity_create(
        actor=alice,
        plan_id=trip.plan.pk,
        title="Dinner",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    server.start()

    # The page kept retrying with backoff while the server was down; its next try may be up to
    # the client's 30 s cap away on a slow machine.
    wait_live(page, timeout_ms=40_000)
    expect(page.locator(".title-text")).to_have_text(["Coffee", "Night market", "Dinner"])
    expect(page.locator("li.activity.done .title-text")).to_have_text(["Coffee"])
    assert reloads, "four missed events > WS_MAX_REPLAY: the plan was reloaded over REST"
    assert_not_reloaded(page)
