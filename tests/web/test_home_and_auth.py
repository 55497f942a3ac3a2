"""Signing up, in and out, and the home screen's live plan badges and group list."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.conftest import api_as, assert_not_reloaded, mark_page, wait_live


def test_a_new_user_registers_lands_on_an_empty_home_and_signs_out(browsing, trip):
    page = browsing.page(browsing.person(), "/")
    expect(page.get_by_role("heading", name="Sign in to PlanPal")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("Username").fill("erin")
    page.get_by_label("Display name").fill("Erin Vo")
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Password").fill("short")
    browsing.allow(r"status of 400")  # the browser logs the refusal itself
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This password is too short")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your trips")).to_be_visible()
    expect(page.get_by_text("No plans yet")).to_be_visible()
    expect(page.locator("#me-name")).to_have_text("Erin Vo")
    wait_live(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to PlanPal")).to_be_visible()


def test_signing_in_shows_my_plans_and_groups_with_live_status_badges(browsing, server, trip):
    page = browsing.page(browsing.person(), "/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("wrong-password")
    browsing.allow(r"status of 400")
    page.get_by_role("button", name="Sign in").click()
    refusal = page.get_by_role("alert").filter(has_text="Invalid username or password")
    expect(refusal).to_be_visible()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_live(page)
    mark_page(page)
    card = page.locator(f'.plan-card[data-plan-id="{trip.plan.pk}"]')
    expect(card.get_by_role("link", name="Dalat weekend")).to_be_visible()
    expect(card.locator(".badge")).to_have_text("Upcoming")
    expect(card).to_contain_text("Dalat trip")
    expect(card).to_contain_text("3 activities")
    expect(page.locator(".group-card")).to_contain_text("2 members")

    with api_as(server, trip.alice) as alice:
        assert alice.post(f"/plans/{trip.plan.pk}/start").status_code == 200
    expect(card.locator(".badge")).to_have_text("Ongoing", timeout=1000)
    assert_not_reloaded(page)

    card.get_by_role("link", name="Dalat weekend").click()
    expect(page.get_by_role("heading", name="Dalat weekend")).to_be_focused()
