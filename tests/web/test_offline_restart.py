"""Offline first across a browser restart: what a member changes offline waits in the outbox
of their own browser profile (IndexedDB), so quitting the whole browser loses none of it;
started again, the browser sends it, and the others see each change once and in order."""

from playwright.sync_api import expect

from planpal.chat.services import message_send
from planpal.realtime.models import Event
from tests.web.conftest import wait_live
from tests.web.test_offline import OFFLINE_NOISE, RECORD_EVENTS, activity, go, seen_from


def queue_offline_changes(alice, chat: str) -> None:
    """An edit and a reorder of the plan, an edit of a message: all kept, all marked."""
    alice.get_by_role("button", name="Edit Market").click()
    alice.get_by_role("dialog").get_by_label("Title").fill("Market visit")
    alice.get_by_role("dialog").get_by_role("button", name="Save changes").click()
    alice.get_by_text("Custom order").click()
    alice.get_by_role("button", name="Move Lake up").click()
    order = alice.locator("ol.activity-list .title-text")
    expect(order).to_have_text(["Coffee", "Lake", "Market visit"])
    expect(alice.locator("ol.activity-list li[data-sync=pending]")).to_have_count(2)
    go(alice, chat)
    mine = alice.locator(".message.mine", has_text="Meet at 8")
    mine.get_by_role("button", name="Edit message: Meet at 8").click()
    alice.get_by_role("dialog").get_by_label("Message").fill("Meet at 8:30")
    alice.get_by_role("dialog").get_by_role("button", name="Save").click()
    edited = alice.locator(".message.mine", has_text="Meet at 8:30")
    expect(edited).to_contain_text("Waiting to sync")
    # On the disk before the browser quits: the panel counts what the database holds.
    expect(alice.locator("#sync-panel")).to_contain_text("3 changes wait for the connection.")


def test_the_outbox_survives_a_browser_restart(browsing, trip, tmp_path):
    browsing.allow(OFFLINE_NOISE)
    plan, chat = f"#/plans/{trip.plan.pk}", f"#/groups/{trip.group.pk}/chat"
    message_send(actor=trip.alice, conversation=trip.group.conversation, text="Meet at 8")
    bob = browsing.person(trip.bob)
    bob_plan = browsing.page(bob, "/" + plan)
    bob_chat = browsing.page(bob, "/" + chat)
    profile = tmp_path / "alice-browser"
    alice_browser = browsing.persistent(profile, trip.alice)
    alice = browsing.page(alice_browser, "/" + chat)
    wait_live(alice)
    expect(alice.locator(".message-text", has_text="Meet at 8")).to_be_visible()
    go(alice, plan)  # both screens seen once online: the plan is in memory and on the device
    expect(activity(alice, "Market")).to_be_visible()
    for page in (bob_plan, bob_chat):
        wait_live(page)
        page.evaluate(RECORD_EVENTS)
    bob_plan.get_by_text("Custom order").click()

    alice_browser.set_offline(True)
    expect(alice.locator("#connection")).to_have_text("Offline")
    queue_offline_changes(alice, chat)
    alice_browser.close()  # the whole browser quits, offline, with three changes waiting

    alice_browser = browsing.persistent(profile)  # signed in still: the profile's cookie
    alice = browsing.page(alice_browser, "/" + plan)
    wait_live(alice)
    expect(bob_plan.locator("ol.activity-list .title-text")).to_have_text(
        ["Coffee", "Lake", "Market visit"], timeout=2000
    )
    expect(bob_chat.locator(".message", has_text="Meet at 8:30")).to_contain_text(
        "edited", timeout=2000
    )
    coffee, market, lake = (item.pk for item in trip.activities)
    assert seen_from(bob_plan, trip.alice, "plan.") == [
        ["plan.activity_updated", "Market visit"],
        ["plan.activity_reordered", [coffee, lake, market]],
    ]
    assert seen_from(bob_chat, trip.alice, "group.message") == [
        ["group.message_edited", "Meet at 8:30"],
    ]
    sent = Event.objects.filter(
        actor_id=trip.alice.pk, topic__in=[f"plan:{trip.plan.pk}", f"group:{trip.group.pk}"]
    )
    assert [event.name for event in sent.order_by("created_at")] == [
        "group.message_sent",  # before the test went offline
        "plan.activity_updated",
        "plan.activity_reordered",
        "group.message_edited",
    ]
    expect(alice.locator("#sync-panel")).to_be_hidden()
    expect(alice.locator("li.activity[data-sync]")).to_have_count(0)
