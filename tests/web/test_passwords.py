"""Passwords in the web client (issue 13 #6): changing it in the settings signs out the other
browsers at once, live; a forgotten one is reset through the page a reset mail's link opens."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.conftest import assert_not_reloaded, mark_page, wait_live

NEW = "a-brand-new-passphrase-42"


def test_changing_the_password_signs_out_the_other_browser_live(browsing, trip):
    here = browsing.page(browsing.person(trip.bob), "/#/profile")
    elsewhere = browsing.page(browsing.person(trip.bob), "/")
    wait_live(here)
    wait_live(elsewhere)
    mark_page(here)
    browsing.allow(r"status of (400|401)")  # the refused attempt; the ended session's /me

    here.get_by_label("Current password").fill("not-my-password")
    here.get_by_label("New password").fill(NEW)
    here.get_by_role("button", name="Change password").click()
    expect(here.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")

    here.get_by_label("Current password").fill(PASSWORD)
    here.get_by_role("button", name="Change password").click()
    expect(here.get_by_text("Password changed.")).to_be_visible()

    expect(elsewhere.get_by_role("heading", name="Sign in to PlanPal")).to_be_visible()
    expect(elsewhere.get_by_text("Your session has ended")).to_be_visible()
    assert_not_reloaded(here)
    here.reload()  # this browser stays signed in
    expect(here.get_by_role("heading", name="Profile and settings")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_link(browsing, trip):
    page = browsing.page(browsing.person(), "/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("bob@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(
        page.get_by_role("status").filter(has_text="If an account has this address")
    ).to_be_visible()

    # The link the mail carries (the mail itself goes to the server's console here).
    uid = urlsafe_base64_encode(force_bytes(trip.bob.pk))
    link = f"/#/reset-password/{uid}/{default_token_generator.make_token(trip.bob)}"
    page = browsing.page(browsing.person(), link)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is set")).to_be_visible()

    page.get_by_role("link", name="Back to sign in").click()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    wait_live(page)
