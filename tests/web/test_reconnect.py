"""A member whose connection drops catches up on reconnect: replay from the last seq, in order,
without reloading the page."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.web.conftest import api_as, assert_not_reloaded, mark_page, wait_live


def applied_seqs(page, topic: str) -> list[int]:
    pairs = page.evaluate("window.planpal.rt.applied")
    return [seq for applied_topic, seq in pairs if applied_topic == topic]


def test_changes_made_while_offline_appear_in_order_after_reconnecting(browsing, server, trip):
    bob = browsing.person(trip.bob)
    plan_page = browsing.page(bob, f"/#/plans/{trip.plan.pk}")
    chat_page = browsing.page(bob, f"/#/groups/{trip.group.pk}/chat")
    for page in (plan_page, chat_page):
        wait_live(page)
        mark_page(page)
    # Both screens have loaded their snapshots (live is the header's socket; on a slow machine
    # a screen's REST loads may still be in flight, and offline would fail them).
    expect(plan_page.locator(".title-text")).to_have_text(["Coffee", "Market", "Lake"])
    expect(chat_page.locator("ol.messages")).to_be_attached()

    # A request of a screen still in flight when the network goes (seen once in CI, on the chat
    # screen) fails, and the browser itself logs that failure; the screen handles it (an uncaught
    # error would still fail the test) and what follows checks that nothing is missing.
    browsing.allow(r"net::ERR_INTERNET_DISCONNECTED")
    bob.set_offline(True)
    expect(plan_page.locator("#connection")).to_have_attribute("data-state", "offline")
    expect(plan_page.locator("#connection")).to_have_text("Offline")

    coffee, market, lake = trip.activities
    conversation = trip.group.conversation.pk
    with api_as(server, trip.alice) as alice:
        assert alice.post(f"/activities/{coffee.pk}/complete").status_code == 200
        renamed = alice.patch(
            f"/activities/{market.pk}", json={"title": "Night market", "version": market.version}
        )
        assert renamed.status_code == 200, renamed.text
        assert alice.delete(f"/activities/{lake.pk}").status_code == 204
        start = trip.plan.start_at + timedelta(hours=12)
        dinner = alice.post(
            f"/plans/{trip.plan.pk}/activities",
            json={
                "title": "Dinner",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
            },
        )
        assert dinner.status_code == 201, dinner.text
        for text in ("one", "two", "three"):
            sent = alice.post(f"/conversations/{conversation}/messages", json={"text": text})
            assert sent.status_code == 201, sent.text

    # Nothing arrives while offline.
    expect(plan_page.locator(".title-text")).to_have_text(["Coffee", "Market", "Lake"])

    bob.set_offline(False)
    for page in (plan_page, chat_page):
        wait_live(page)

    expect(plan_page.locator(".title-text")).to_have_text(["Coffee", "Night market", "Dinner"])
    done = plan_page.locator("li.activity.done .title-text")
    expect(done).to_have_text(["Coffee"])
    expect(chat_page.locator(".message.theirs .message-text")).to_have_text(["one", "two", "three"])

    topic = f"plan:{trip.plan.pk}"
    assert applied_seqs(plan_page, topic) == [1, 2, 3, 4], "replayed once each, in order"
    group_seqs = applied_seqs(chat_page, f"group:{trip.group.pk}")
    assert group_seqs == sorted(set(group_seqs)), "no duplicates, in order"
    for page in (plan_page, chat_page):
        assert_not_reloaded(page)
