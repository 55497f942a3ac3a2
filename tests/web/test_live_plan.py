"""Two people on one plan see each other's changes appear without reloading."""

from playwright.sync_api import expect

from tests.web.conftest import assert_not_reloaded, mark_page, wait_live


def activity(page, title: str):
    return page.locator("li.activity", has=page.locator(".title-text", has_text=title))


def test_a_completed_activity_appears_done_for_the_other_member_within_a_second(browsing, trip):
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)
    expect(activity(bob, "Coffee")).not_to_have_class("activity card done")

    alice.get_by_role("button", name="Mark Coffee done").click()
    expect(activity(alice, "Coffee")).to_have_class("activity card done")

    expect(activity(bob, "Coffee")).to_have_class("activity card done", timeout=1000)
    expect(activity(bob, "Coffee")).to_contain_text("Done by Alice Nguyen")
    assert_not_reloaded(bob)


def test_the_plan_status_and_new_activities_appear_live_and_only_managers_get_controls(
    browsing, trip
):
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)
    expect(bob.locator(".title-row .badge")).to_have_text("Upcoming")
    expect(bob.get_by_role("button", name="Start trip now")).to_have_count(0)

    alice.get_by_role("button", name="Start trip now").click()
    expect(bob.locator(".title-row .badge")).to_have_text("Ongoing", timeout=1000)
    expect(alice.get_by_role("button", name="Mark trip completed")).to_be_visible()

    # Bob adds an activity between Coffee (08-09) and Market (10-11): Alice sees it in place.
    bob.get_by_role("button", name="Add activity").click()
    dialog = bob.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Bakery")
    starts = dialog.get_by_label("Starts")
    day = starts.input_value().split("T")[0]
    starts.fill(f"{day}T09:00")
    dialog.get_by_label("Ends").fill(f"{day}T09:45")
    dialog.get_by_role("button", name="Add activity").click()
    expect(dialog).to_have_count(0)

    titles = alice.locator(".day").first.locator(".title-text")
    expect(titles).to_have_text(["Coffee", "Bakery", "Market", "Lake"], timeout=1000)
    assert_not_reloaded(bob)


def test_a_stale_edit_shows_the_conflict_and_continues_from_the_servers_version(browsing, trip):
    browsing.allow(r"status of 409")  # the browser logs the conflict answer itself
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
    wait_live(alice)
    wait_live(bob)

    bob.get_by_role("button", name="Edit Market").click()
    bob_form = bob.get_by_role("dialog")
    alice.get_by_role("button", name="Edit Market").click()
    alice_form = alice.get_by_role("dialog")
    alice_form.get_by_label("Title").fill("Night market")
    alice_form.get_by_role("button", name="Save changes").click()
    expect(alice_form).to_have_count(0)

    bob_form.get_by_label("Title").fill("Market visit")
    bob_form.get_by_role("button", name="Save changes").click()
    expect(bob_form.get_by_role("alert").filter(has_text="Someone else changed")).to_be_visible()
    expect(bob_form.get_by_label("Title")).to_have_value("Night market")
    expect(activity(bob, "Night market")).to_have_count(1)

    bob_form.get_by_label("Title").fill("Market visit")
    bob_form.get_by_role("button", name="Save changes").click()
    expect(bob_form).to_have_count(0)
    expect(activity(alice, "Market visit")).to_have_count(1, timeout=1000)


def test_reordering_and_deleting_show_up_live_in_the_custom_order(browsing, trip):
    plan = f"/#/plans/{trip.plan.pk}"
    alice = browsing.page(browsing.person(trip.alice), plan)
    bob = browsing.page(browsing.person(trip.bob), plan)
    wait_live(alice)
    wait_live(bob)
    for page in (alice, bob):
        page.get_by_text("Custom order").click()
    order = alice.locator("ol.activity-list .title-text")
    expect(order).to_have_text(["Coffee", "Market", "Lake"])

    bob.get_by_role("button", name="Move Lake up").click()
    expect(order).to_have_text(["Coffee", "Lake", "Market"], timeout=1000)
    expect(bob.get_by_role("button", name="Move Lake up")).to_be_focused()

    bob.get_by_role("button", name="Delete Market").click()
    bob.get_by_role("dialog").get_by_role("button", name="Delete activity").click()
    expect(order).to_have_text(["Coffee", "Lake"], timeout=1000)
