"""The plan's map: the day's places as markers on a route line, moving live when a place is edited
(issue 18, places on the web). No internet here: the tile server is answered in the browser with
a blank tile, so the page loads tiles from MAP_TILE_URL's host under the CSP as it would live."""

import base64
import re

from playwright.sync_api import expect

from planpal.plans.models import Activity
from tests.web.conftest import api_as, assert_not_reloaded, mark_page, wait_live

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def person_with_tiles(browsing, user):
    context = browsing.person(user)
    context.route(
        re.compile(r"^https://tile\.openstreetmap\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    return context


def test_a_place_set_by_one_member_moves_the_marker_for_the_other_live(browsing, server, trip):
    coffee, market = trip.activities[0], trip.activities[1]
    Activity.objects.filter(pk=coffee.pk).update(
        location_name="Dalat Market", lat="11.942600", lng="108.436900"
    )
    Activity.objects.filter(pk=market.pk).update(
        location_name="Xuan Huong Lake", lat="11.941100", lng="108.443600"
    )
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(person_with_tiles(browsing, trip.alice), plan)
    bob = browsing.page(person_with_tiles(browsing, trip.bob), plan)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)

    pins = bob.locator("#plan-map .leaflet-marker-icon")
    expect(pins).to_have_count(2)
    # Itinerary order: Coffee (08:00) first, then Market (10:00), joined by one route line.
    expect(pins.first).to_have_attribute("title", "1. Coffee (Dalat Market)")
    expect(pins.nth(1)).to_have_attribute("title", "2. Market (Xuan Huong Lake)")
    expect(bob.locator("#plan-map path.route-line")).to_have_count(1)
    expect(bob.locator("#plan-map .leaflet-tile-loaded").first).to_be_attached()
    expect(bob.locator("#plan-map .leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    market_pin = bob.locator(f'#plan-map .leaflet-marker-icon[data-activity="{market.pk}"]')
    before = market_pin.evaluate("node => node.style.transform")

    with api_as(server, trip.alice) as api:
        market.refresh_from_db()
        moved = api.patch(
            f"/activities/{market.pk}",
            json={
                "location_name": "Crazy House",
                "lat": "11.935200",
                "lng": "108.430500",
                "version": market.version,
            },
        )
        assert moved.status_code == 200, moved.text

    expect(market_pin).to_have_attribute("data-lat", "11.9352", timeout=1000)
    expect(market_pin).to_have_attribute("title", "2. Market (Crazy House)")
    assert market_pin.evaluate("node => node.style.transform") != before
    expect(pins).to_have_count(2)
    assert_not_reloaded(bob)
