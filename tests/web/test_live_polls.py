"""Deciding together in the browser (issue 19): Alice opens a date poll on the plan, Bob and
Carol mark days, all three see the best dates change live; Alice makes the winner the plan's
dates; Bob ticks a checklist item and Alice sees it ticked live."""

from datetime import timedelta

from playwright.sync_api import expect

from planpal.checklists import services as checklists
from planpal.groups.models import Membership
from planpal.plans.models import Plan
from tests.conftest import make_user
from tests.web.conftest import assert_not_reloaded, mark_page, wait_live


def best_dates(page):
    return page.locator(".poll-ranking li").first


def mark_yes(page, day: str) -> None:
    button = page.locator(f'.poll-day[data-day="{day}"] button')
    button.click()
    expect(button).to_contain_text("yes")


def test_a_date_poll_decides_the_plans_dates_and_a_checklist_ticks_live(browsing, trip):
    carol = make_user("carol", display_name="Carol Le")
    Membership.objects.create(group=trip.group, user=carol, role=Membership.Role.MEMBER)
    checklists.checklist_create(actor=trip.alice, plan_id=trip.plan.pk, template="packing")
    first = trip.plan.start_at.date()
    days = [(first + timedelta(days=n)).isoformat() for n in range(5)]
    path = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), path)
    bob = browsing.page(browsing.person(trip.bob), path)
    carol_page = browsing.page(browsing.person(carol), path)
    pages = (alice, bob, carol_page)
    for page in pages:
        wait_live(page)
        mark_page(page)

    # Alice asks.
    alice.get_by_role("button", name="New poll").click()
    dialog = alice.get_by_role("dialog")
    dialog.get_by_label("Question").fill("When can you go?")
    dialog.get_by_label("Kind").select_option("dates")
    dialog.get_by_label("First day").fill(days[0])
    dialog.get_by_label("Last day").fill(days[4])
    dialog.get_by_label("Trip length in days").fill("2")
    dialog.get_by_role("button", name="Ask").click()
    expect(dialog).to_have_count(0)
    for page in pages:
        expect(page.locator(".poll-day")).to_have_count(5, timeout=2000)

    # Bob and Carol mark days; the best dates change on every screen.
    mark_yes(bob, days[2])
    mark_yes(bob, days[3])
    for page in pages:
        expect(best_dates(page)).to_contain_text("1 can go (1 sure)", timeout=2000)
    mark_yes(carol_page, days[0])
    mark_yes(carol_page, days[1])
    mark_yes(bob, days[0])
    mark_yes(bob, days[1])
    for page in pages:
        expect(best_dates(page)).to_contain_text("2 can go (2 sure)", timeout=2000)
        expect(best_dates(page)).to_have_attribute("data-first", days[0])

    # Alice turns the winner into the plan's dates; Bob sees the poll closed.
    alice.get_by_role("button", name="Use as the plan's dates").click()
    expect(bob.locator(".poll").first).to_contain_text("closed", timeout=2000)
    trip.plan.refresh_from_db()
    assert trip.plan.start_at.date().isoformat() == days[0]
    assert trip.plan.end_at.date().isoformat() == days[2]
    assert Plan.objects.get(pk=trip.plan.pk).version == 2

    # Bob ticks a checklist item; Alice sees it ticked.
    bob.get_by_label("Passport or ID").check()
    expect(alice.get_by_label("Passport or ID")).to_be_checked(timeout=2000)
    expect(alice.locator('.checklist-item[data-done="true"]')).to_contain_text("ticked by Bob Tran")
    for page in pages:
        assert_not_reloaded(page)
