"""Deciding together in the browser (issue 19): Alice opens a date poll on the plan, Bob and
Carol mark days, all three see the best dates change live; Alice makes the winner the plan's
dates; Bob ticks a checklist item and Alice sees it ticked live. In the group chat: Alice asks
from the composer, Bob votes on the card among the messages on his phone, Alice's bar moves."""

from datetime import timedelta

from playwright.sync_api import expect

from planpal.checklists import services as checklists
from planpal.groups.models import Membership
from planpal.plans.models import Plan
from tests.conftest import make_user
from tests.web.axe import assert_accessible
from tests.web.conftest import assert_not_reloaded, mark_page, wait_live
from tests.web.test_journey import PHONE, fits_the_phone, in_view


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


def test_a_poll_asked_in_the_group_chat_is_voted_on_there_live(browsing, trip):
    chat = f"/#/groups/{trip.group.pk}/chat"
    alice = browsing.page(browsing.person(trip.alice), chat)
    bob = browsing.page(browsing.person(trip.bob, viewport=PHONE), chat)  # Bob is on his phone
    for page in (alice, bob):
        wait_live(page)
        mark_page(page)
    alice.get_by_role("textbox", name="Message").fill("Dinner on the first night?")
    alice.get_by_role("textbox", name="Message").press("Enter")
    expect(bob.locator(".message.theirs")).to_have_count(1, timeout=2000)

    # Alice asks from the composer; the card follows her message in both chats.
    alice.get_by_role("button", name="Poll", exact=True).click()
    dialog = alice.get_by_role("dialog")
    dialog.get_by_label("Question").fill("Where do we eat?")
    dialog.get_by_label("Options, one per line").fill("Pho 24\nBanh mi stall")
    dialog.get_by_role("button", name="Ask").click()
    expect(dialog).to_have_count(0)
    for page in (alice, bob):
        entries = page.locator(".messages > li")
        expect(entries).to_have_count(2, timeout=2000)
        expect(entries.last).to_have_class("chat-poll")
        expect(entries.last).to_contain_text("Where do we eat?")

    # Bob votes in his chat; Alice's bar moves without a reload.
    bob.locator(".chat-poll").get_by_role("button", name="Pho 24").click()
    pho = alice.locator(".chat-poll .poll-option").filter(has_text="Pho 24")
    expect(pho.locator(".poll-count")).to_have_text("1", timeout=2000)
    expect(pho.locator("progress")).to_have_attribute("value", "1")
    expect(pho).to_contain_text("Bob Tran")  # a named poll says who
    expect(alice.locator(".chat-poll")).to_contain_text("1 voted")
    assert_accessible(bob, "group chat with a poll")
    fits_the_phone(bob, "group chat with a poll")
    in_view(bob, bob.get_by_role("textbox", name="Message"), "composer below a poll")
    for page in (alice, bob):
        assert_not_reloaded(page)
