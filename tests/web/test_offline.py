"""Offline first: a member keeps working with no network (the plan and chat open from this
device's copies, changes wait in the outbox, a reload keeps them) and, once back online, the
others see each change once and in order; a conflicting edit is offered for resolution."""

from playwright.sync_api import expect

from planpal.plans import services
from planpal.realtime.models import Event
from tests.web.conftest import wait_live

OFFLINE_NOISE = r"ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|status of 409"
RECORD_EVENTS = """() => {
  window.__seen = [];
  window.planpal.rt.addEventListener("event", (e) => {
    const { event, data, actor } = e.detail.frame;
    window.__seen.push([actor, event, data.order || data.title || data.text || data.id]);
  });
}"""


# Alice's page received the message live (she is on the plan page); then the copy of the chat
# on her device is rewritten from the store (offline/keep.js, after a 1 s pause).
KEPT_AFTER_EVENT = """async (text) => {
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));
  const has = () => [...window.planpal.store.messages.values()].some((record) =>
    [...record.items.values()].some((message) => message.text === text));
  while (!has()) await pause(50);
  await pause(1500);
}"""


def wait_for_service_worker(page) -> None:
    """The page is controlled by the service worker (its first install claims it)."""
    page.evaluate(
        """async () => {
          await navigator.serviceWorker.ready;
          while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
        }"""
    )


def activity(page, title: str):
    return page.locator("li.activity", has=page.locator(".title-text", has_text=title))


def go(page, path: str) -> None:
    page.evaluate(f"window.location.hash = {path!r}")


def add_activity(page, title: str, start: str, end: str) -> None:
    page.get_by_role("button", name="Add activity").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill(title)
    day = dialog.get_by_label("Starts").input_value().split("T")[0]
    dialog.get_by_label("Starts").fill(f"{day}T{start}")
    dialog.get_by_label("Ends").fill(f"{day}T{end}")
    dialog.get_by_role("button", name="Add activity").click()
    expect(dialog).to_have_count(0)


def send(page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def seen_from(page, actor, prefix: str) -> list:
    """The `prefix…` events of `actor`'s changes the page received: [event, title or text]."""
    seen = page.evaluate("window.__seen")
    return [item[1:] for item in seen if item[0] == actor.pk and item[1].startswith(prefix)]


def test_offline_changes_survive_a_reload_and_reach_the_others_once_and_in_order(browsing, trip):
    browsing.allow(OFFLINE_NOISE)
    plan, chat = f"#/plans/{trip.plan.pk}", f"#/groups/{trip.group.pk}/chat"
    alice_context = browsing.person(trip.alice)
    alice = browsing.page(alice_context, "/" + chat)
    wait_live(alice)
    expect(alice.get_by_label("Message", exact=True)).to_be_visible()
    go(alice, plan)  # both screens seen once online: their copies are on the device
    expect(activity(alice, "Market")).to_be_visible()
    wait_for_service_worker(alice)
    bob_context = browsing.person(trip.bob)
    bob_plan = browsing.page(bob_context, "/" + plan)
    bob_chat = browsing.page(bob_context, "/" + chat)
    for page in (bob_plan, bob_chat):
        wait_live(page)
        page.evaluate(RECORD_EVENTS)

    send(bob_chat, "See you at the market")
    alice.evaluate(KEPT_AFTER_EVENT, "See you at the market")

    alice_context.set_offline(True)
    expect(alice.locator("#connection")).to_have_text("Offline")
    alice.reload()  # the shell from the service worker, the plan from IndexedDB
    expect(alice.locator("#offline-banner")).to_contain_text("Offline: showing what this device")
    expect(alice.locator(".title-text")).to_have_text(["Coffee", "Market", "Lake"])
    market = trip.activities[1]
    services.activity_update(actor=trip.bob, activity_id=market.pk, version=1, title="Night market")

    add_activity(alice, "Bakery", "09:00", "09:45")
    expect(activity(alice, "Bakery")).to_contain_text("Waiting to sync")
    alice.get_by_role("button", name="Mark Coffee done").click()
    expect(activity(alice, "Coffee")).to_have_class("activity card done")
    alice.get_by_role("button", name="Edit Market").click()
    alice.get_by_role("dialog").get_by_label("Title").fill("Market visit")
    alice.get_by_role("dialog").get_by_role("button", name="Save changes").click()
    expect(activity(alice, "Market visit")).to_contain_text("Waiting to sync")
    go(alice, chat)
    # The chat as last seen, with what arrived live after it was loaded.
    expect(alice.get_by_text("See you at the market")).to_be_visible()
    send(alice, "Offline hello")
    send(alice, "Still offline")
    expect(alice.locator(".message.pending")).to_have_count(2)

    alice.reload()  # still offline: the outbox survives
    expect(alice.locator("#sync-panel")).to_contain_text("5 changes wait for the connection.")
    expect(alice.locator(".message.pending")).to_have_count(2)
    expect(alice.locator(".message.pending").first).to_contain_text("Waiting for the connection")
    go(alice, plan)
    expect(activity(alice, "Bakery")).to_contain_text("Waiting to sync")

    alice_context.set_offline(False)
    expect(bob_plan.locator(".day").first.locator(".title-text")).to_have_text(
        ["Coffee", "Bakery", "Night market", "Lake"], timeout=2000
    )
    expect(activity(bob_plan, "Coffee")).to_have_class("activity card done", timeout=2000)
    bob_texts = bob_chat.locator(".message .message-text")
    expect(bob_texts.filter(has_text="offline")).to_have_text(
        ["Offline hello", "Still offline"], timeout=2000
    )
    assert seen_from(bob_plan, trip.alice, "plan.") == [
        ["plan.activity_created", "Bakery"],
        ["plan.activity_completed", "Coffee"],
    ]
    assert seen_from(bob_chat, trip.alice, "group.message") == [
        ["group.message_sent", "Offline hello"],
        ["group.message_sent", "Still offline"],
    ]
    sent = Event.objects.filter(
        actor_id=trip.alice.pk, topic__in=[f"plan:{trip.plan.pk}", f"group:{trip.group.pk}"]
    )
    assert [event.name for event in sent.order_by("created_at")] == [
        "plan.activity_created",
        "plan.activity_completed",
        "group.message_sent",
        "group.message_sent",
    ]

    # The edit of Market met Bob's: Alice decides, seeing both versions.
    conflict = alice.locator("li.sync-conflict")
    expect(conflict).to_contain_text("Edit “Market”")
    expect(conflict).to_contain_text("Title: theirs “Night market”, yours “Market visit”")
    conflict.get_by_role("button", name="Keep mine").click()
    expect(activity(bob_plan, "Market visit")).to_be_visible(timeout=2000)
    expect(alice.locator("#sync-panel")).to_be_hidden()
    expect(alice.locator("li.activity[data-sync]")).to_have_count(0)
