"""Money on a trip in the browser (issue 17): Alice sets a budget and adds a dinner split between
three, watching each share as she types; Bob sees the expense, the budget bar and the new balances
live; Bob records his payment from the settle-up list and Alice's list shrinks to Carol's one
payment. Carol, on her phone, adds a taxi she and Bob paid, split by percent between Alice and
Bob. No REST call by
the test: everything goes through the Budget tab."""

from playwright.sync_api import expect

from planpal.groups.models import Membership
from tests.conftest import make_user
from tests.web.axe import assert_accessible
from tests.web.conftest import assert_not_reloaded, mark_page, wait_live
from tests.web.test_journey import PHONE, fits_the_phone


def share_of(page, user):
    return page.locator(f'.split-share[data-user="{user.pk}"]')


def test_an_expense_split_between_three_settles_up_live(browsing, trip):
    carol = make_user("carol", display_name="Carol Le")
    Membership.objects.create(group=trip.group, user=carol, role=Membership.Role.MEMBER)
    budget = f"/#/plans/{trip.plan.pk}/budget"
    alice = browsing.page(browsing.person(trip.alice), budget)
    bob = browsing.page(browsing.person(trip.bob), budget)
    for page in (alice, bob):
        wait_live(page)
        mark_page(page)
        expect(page.get_by_role("heading", name="Balances")).to_be_visible()

    # Alice sets the budget; Bob's bar says what is left.
    alice.get_by_role("button", name="Set budget").click()
    dialog = alice.get_by_role("dialog")
    dialog.get_by_label("Budget").fill("1000000")
    dialog.get_by_role("button", name="Save budget").click()
    expect(dialog).to_have_count(0)
    expect(bob.locator(".budget-line")).to_contain_text("₫1,000,000 left", timeout=2000)

    # Alice adds a dinner she paid, split equally between the three; the shares show as she types.
    alice.get_by_role("button", name="Add expense").click()
    dialog = alice.get_by_role("dialog")
    dialog.get_by_label("What").fill("Dinner at the night market")
    dialog.get_by_label("Amount", exact=True).fill("100000")
    expect(share_of(alice, carol)).to_have_text("₫33,333")
    expect(share_of(alice, trip.alice)).to_have_text("₫33,334")  # the lower id gets the unit
    dialog.get_by_label("Amount", exact=True).fill("300000")
    for person in (trip.alice, trip.bob, carol):
        expect(share_of(alice, person)).to_have_text("₫100,000")
    dialog.get_by_label("Category").select_option("food")
    dialog.get_by_role("button", name="Add expense").click()
    expect(dialog).to_have_count(0)

    # Bob sees it, the budget bar and his balance without a reload.
    expect(bob.locator(".expense")).to_contain_text("Dinner at the night market", timeout=2000)
    expect(bob.locator(".expense")).to_contain_text("your share ₫100,000")
    expect(bob.locator(".budget-line")).to_contain_text("₫700,000 left")
    expect(bob.locator(f'.balances-table tr[data-user="{trip.bob.pk}"]')).to_contain_text(
        "owes ₫100,000"
    )
    expect(alice.locator(".transfer")).to_have_count(2)
    assert_accessible(bob, "budget tab")

    # Bob records his payment from the settle-up list; Alice's list shrinks to Carol's.
    bob_pays = bob.locator(f'.transfer[data-from="{trip.bob.pk}"]')
    expect(bob_pays).to_contain_text("You pay Alice Nguyen ₫100,000")
    bob_pays.get_by_role("button", name="Record payment").click()
    dialog = bob.get_by_role("dialog")
    expect(dialog.get_by_label("Amount (VND)")).to_have_value("100000")
    dialog.get_by_role("button", name="Record payment").click()
    expect(dialog).to_have_count(0)
    expect(alice.locator(".transfer")).to_have_count(1, timeout=2000)
    expect(alice.locator(".transfer")).to_contain_text("Carol Le pays you ₫100,000")
    expect(alice.locator(f'.balances-table tr[data-user="{trip.bob.pk}"]')).to_contain_text(
        "settled"
    )
    expect(alice.locator(".payments summary")).to_have_text("1 payment recorded")

    # Carol, on her phone, splits a taxi by percent between Alice and Bob.
    phone = browsing.page(browsing.person(carol, viewport=PHONE), budget)
    expect(phone.locator(".transfer")).to_contain_text("You pay Alice Nguyen ₫100,000")
    fits_the_phone(phone, "budget tab")
    phone.get_by_role("button", name="Add expense").click()
    dialog = phone.get_by_role("dialog")
    dialog.get_by_label("What").fill("Taxi")
    dialog.get_by_label("Amount", exact=True).fill("1001")
    dialog.get_by_label("By percent").check()
    dialog.get_by_label("Carol Le", exact=True).uncheck()
    dialog.get_by_label("Alice Nguyen: %").fill("50")
    expect(dialog.locator('[data-field="split"] .split-status')).to_contain_text(
        "Give everyone chosen a value"
    )
    dialog.get_by_label("Bob Tran: %").fill("40")
    expect(dialog.locator('[data-field="split"] .split-status')).to_contain_text(
        "add up to 90 %, not 100 %"
    )
    dialog.get_by_label("Bob Tran: %").fill("50")
    expect(share_of(phone, trip.alice)).to_have_text("₫501")  # equal remainders: lower id
    expect(share_of(phone, trip.bob)).to_have_text("₫500")
    # Carol and Bob paid it together.
    dialog.get_by_label("Paid by").select_option(label="Several people")
    dialog.get_by_label("Carol Le: amount paid").fill("600")
    dialog.get_by_label("Bob Tran: amount paid").fill("400")
    expect(dialog.locator(".payers-editor .split-status")).to_contain_text("add up to ₫1,000")
    dialog.get_by_label("Bob Tran: amount paid").fill("401")
    expect(dialog.locator(".payers-editor .split-status")).to_have_text(
        "The payers add up to the amount."
    )
    width = dialog.evaluate("node => node.scrollWidth - node.clientWidth")
    assert width <= 0, f"the expense dialog scrolls sideways on a phone ({width}px)"
    dialog.get_by_role("button", name="Add expense").click()
    expect(dialog).to_have_count(0)
    expect(alice.locator(".expense").first).to_contain_text("Taxi", timeout=2000)
    expect(alice.locator(".expense").first).to_contain_text("your share ₫501")
    expect(alice.locator(".expense").first).to_contain_text("Bob Tran, Carol Le paid")
    for page in (alice, bob):
        assert_not_reloaded(page)
