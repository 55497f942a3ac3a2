"""The plan's map: the day's places as markers on a route line, moving live when a place is edited
(issue 18, places on the web). No internet here: the tile server is answered in the browser with
a blank tile (tests/web/conftest.py), so the page loads tiles from MAP_TILE_URL's host under
the CSP as it would live."""

from playwright.sync_api import expect

from planpal.plans.models import Activity
from tests.web.conftest import api_as, assert_not_reloaded, mark_page, wait_live


def test_a_place_set_by_one_member_moves_the_marker_for_the_other_live(browsing, server, trip):
    coffee, market = trip.activities[0], trip.activities[1]
    Activity.objects.filter(pk=coffee.pk).update(
        location_name="Dalat Market", lat="11.942600", lng="108.436900"
    )
    Activity.objects.filter(pk=market.pk).update(
        location_name="Xuan Huong Lake", lat="11.941100", lng="108.443600"
    )
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
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


def test_a_place_picked_on_the_form_map_moves_the_marker_for_the_other_member_live(browsing, trip):
    browsing.allow(r"status of 503")  # place search is off here: the browser logs the 503
    coffee, market = trip.activities[0], trip.activities[1]
    Activity.objects.filter(pk=coffee.pk).update(
        location_name="Dalat Market", lat="11.9426", lng="108.4369"
    )
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)
    expect(bob.locator("#plan-map .leaflet-marker-icon")).to_have_count(1)

    alice.get_by_role("button", name="Edit Market").click()
    form = alice.get_by_role("dialog")
    # No GEOCODER_URL on this server: the search says so instead of failing silently.
    form.get_by_label("Search a place").fill("Xuan Huong Lake")
    form.get_by_role("button", name="Search", exact=True).click()
    expect(form.get_by_role("status").filter(has_text="not set up")).to_be_visible()
    # A click on the form's map fills the coordinates.
    form.locator("#picker-map").click(position={"x": 120, "y": 110})
    expect(form.get_by_label("Latitude")).not_to_have_value("")
    lat = form.get_by_label("Latitude").input_value()
    expect(form.locator("#picker-map .leaflet-marker-icon")).to_have_count(1)
    form.get_by_label("Place", exact=True).fill("Xuan Huong Lake")
    form.get_by_role("button", name="Save changes").click()
    expect(form).to_have_count(0)

    market_pin = bob.locator(f'#plan-map .leaflet-marker-icon[data-activity="{market.pk}"]')
    expect(market_pin).to_have_attribute("data-lat", str(float(lat)), timeout=1000)
    expect(market_pin).to_have_attribute("title", "2. Market (Xuan Huong Lake)")
    expect(bob.locator("#plan-map path.route-line")).to_have_count(1)
    assert_not_reloaded(bob)
