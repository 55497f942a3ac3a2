"""Group chat in two browsers: presence, typing, messages and unread counts, all live."""

from playwright.sync_api import expect

from tests.files import images
from tests.web.conftest import api_as, assert_not_reloaded, mark_page, wait_live


def test_the_other_member_sees_typing_then_the_message_and_who_is_online(browsing, trip):
    chat = f"/#/groups/{trip.group.pk}/chat"
    alice = browsing.page(browsing.person(trip.alice), chat)
    bob = browsing.page(browsing.person(trip.bob), chat)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)
    expect(bob.locator(f'.person[data-user-id="{trip.alice.pk}"] .presence')).to_have_text("online")

    composer = alice.get_by_role("textbox", name="Message")
    composer.press_sequentially("Bus leaves at 8")
    expect(bob.locator(".typing")).to_have_text("Alice Nguyen is typing…", timeout=2000)

    composer.press("Enter")
    expect(alice.locator(".message.mine .message-text")).to_have_text(["Bus leaves at 8"])
    incoming = bob.locator(".message.theirs")
    expect(incoming.locator(".message-text")).to_have_text(["Bus leaves at 8"], timeout=1000)
    expect(incoming.locator(".message-sender")).to_have_text(["Alice Nguyen"])
    expect(bob.locator(".typing")).to_have_text("")  # the message ends the typing indicator
    # The optimistic copy was replaced by the server's message (matched by client_id).
    expect(alice.locator(".message.pending")).to_have_count(0)
    expect(alice.locator(".message.mine")).to_have_count(1)
    assert_not_reloaded(bob)


def test_unread_counts_rise_live_and_reading_the_chat_clears_them(browsing, server, trip):
    bob_home = browsing.page(browsing.person(trip.bob), "/")
    wait_live(bob_home)
    chat_link = bob_home.get_by_role("link", name="Chat with Dalat trip")
    expect(chat_link).to_have_accessible_name("Chat with Dalat trip")

    conversation = trip.group.conversation.pk
    with api_as(server, trip.alice) as alice:
        for text in ("Tickets booked", "Hotel too"):
            sent = alice.post(f"/conversations/{conversation}/messages", json={"text": text})
            assert sent.status_code == 201, sent.text

    expect(chat_link).to_have_accessible_name("Chat with Dalat trip, 2 unread", timeout=1000)
    chat_link.click()
    expect(bob_home.locator(".message.theirs .message-text")).to_have_text(
        ["Tickets booked", "Hotel too"]
    )
    with api_as(server, trip.bob) as bob:

        def unread() -> int:
            return bob.get(f"/conversations/{conversation}").json()["unread_count"]

        expect_eventually(unread, 0)
    bob_home.get_by_role("navigation", name="Main").get_by_role("link", name="Trips").click()
    expect(bob_home.get_by_role("link", name="Chat with Dalat trip")).to_be_visible()


def expect_eventually(read, value, timeout: float = 3.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while (current := read()) != value and time.monotonic() < deadline:
        time.sleep(0.05)
    assert current == value


def test_a_photo_and_a_place_sent_in_chat_reach_the_other_member_live(browsing, trip):
    chat = f"/#/groups/{trip.group.pk}/chat"
    alice = browsing.page(browsing.person(trip.alice), chat)
    bob = browsing.page(browsing.person(trip.bob), chat)
    wait_live(alice)
    wait_live(bob)
    mark_page(bob)

    photo = images.image_bytes("PNG", size=(120, 80), color=(20, 120, 200))
    alice.locator('.composer input[type="file"]').set_input_files(
        {"name": "lake.png", "mimeType": "image/png", "buffer": photo}
    )
    alice.get_by_role("button", name="Place").click()
    dialog = alice.get_by_role("dialog", name="Share a location")
    dialog.get_by_label("Place name").fill("Xuan Huong Lake")
    dialog.get_by_label("Latitude").fill("11.9416")
    dialog.get_by_label("Longitude").fill("108.4383")
    dialog.get_by_role("button", name="Share").click()

    incoming = bob.locator(".message.theirs")
    thumbnail = bob.locator("img.message-image")
    expect(thumbnail).to_have_attribute("alt", "lake.png", timeout=2000)
    card = incoming.locator(".location-card")
    expect(card.locator(".location-name")).to_have_text("📍 Xuan Huong Lake", timeout=2000)
    expect(card.get_by_role("link", name="Open in OpenStreetMap")).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=11.9416&mlon=108.4383#map=16/11.9416/108.4383"
    )
    # The thumbnail really loads for Bob: uploads/{id}/content → a signed URL, under the CSP.
    expect(thumbnail).to_have_js_property("naturalWidth", 120)
    thumbnail.click()
    viewer = bob.get_by_role("dialog", name="Photo: lake.png")
    expect(viewer).to_be_visible()
    expect(viewer.locator("img")).to_have_js_property("naturalWidth", 120)
    viewer.get_by_role("button", name="Close").click()

    # A file arrives as a chip with its size; Bob's reply quotes the photo by its name.
    alice.locator('.composer input[type="file"]').set_input_files(
        {"name": "Tickets.pdf", "mimeType": "application/pdf", "buffer": images.PDF}
    )
    expect(incoming.locator(".file-chip")).to_have_text(f"📎 Tickets.pdf{len(images.PDF)} B")
    incoming.filter(has=thumbnail).get_by_role("button", name="Reply").click()
    bob.get_by_role("textbox", name="Message").fill("Nice spot")
    bob.get_by_role("textbox", name="Message").press("Enter")
    expect(alice.locator(".message.theirs .message-quote")).to_have_text("Alice Nguyen: lake.png")
    expect(alice.locator(".message.pending")).to_have_count(0)
    assert_not_reloaded(bob)
