"""Invite links open the app's invite page on the server that made them (issue 13 #9)."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.web.conftest import api_as


def test_a_signed_out_visitor_opens_an_invite_link_signs_up_and_lands_in_the_group(
    browsing, server, trip
):
    with api_as(server, trip.alice) as alice:
        link = alice.post(f"/groups/{trip.group.pk}/invites", json={}).json()["url"]
    assert urlsplit(link).netloc == urlsplit(server.url).netloc, "the link opens on this server"

    page = browsing.page(browsing.person(), "/")
    page.goto(link)
    expect(page.get_by_role("heading", name="You're invited to a group on PlanPal")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("button", name="Join the group").click()
    expect(page.get_by_role("heading", name="Dalat trip")).to_be_visible()
    expect(page.locator(".person-name", has_text="dana")).to_have_count(1)


def test_a_link_that_no_longer_works_says_so(browsing, server, trip):
    browsing.allow(r"status of 410")
    carol = make_user("carol", display_name="Carol Le")
    with api_as(server, trip.alice) as alice:
        invite = alice.post(f"/groups/{trip.group.pk}/invites", json={}).json()
        assert alice.delete(f"/groups/{trip.group.pk}/invites/{invite['id']}").status_code == 204

    page = browsing.page(browsing.person(carol), "/")
    page.goto(invite["url"])
    page.get_by_role("button", name="Join the group").click()
    expect(page.get_by_role("heading", name="This invite link no longer works")).to_be_focused()
    expect(page.get_by_text("Ask the person who sent it for a new link")).to_be_visible()
