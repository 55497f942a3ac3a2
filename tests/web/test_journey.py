"""Issue 20's journey: three new people, three browsers, from "sign up" to "trip done" without the
test making a single REST call. Every change must reach the others' open pages within 2 s without
a reload; axe finds no serious or critical violation on any screen; the phone (360x740) never
scrolls sideways and keeps the chat composer in view; part of it is done with the keyboard only."""

import re
from urllib.parse import urljoin

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.axe import assert_accessible
from tests.web.conftest import assert_not_reloaded, mark_page, wait_live

LIVE = 2_000  # ms: how soon the others must see a change
PHONE = (360, 740)


def sign_up(page, username: str, name: str) -> None:
    page.get_by_role("link", name="Create an account").click()
    assert_accessible(page, "create an account")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def fits_the_phone(page, screen: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"{screen} scrolls sideways on a phone ({width}px)"


def in_view(page, locator, screen: str) -> None:
    box = locator.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE[1], f"{screen}: {box}"


def dialog(page):
    return page.get_by_role("dialog")


def group_and_invite(ana) -> str:
    ana.get_by_role("button", name="New group").click()
    dialog(ana).get_by_label("Name").fill("Hoi An crew")
    dialog(ana).get_by_role("button", name="Create group").click()
    ana.get_by_role("link", name="Hoi An crew", exact=True).click()
    expect(ana.get_by_role("heading", name="Hoi An crew", level=1)).to_be_visible()
    ana.get_by_role("button", name="New invite link").click()
    assert_accessible(ana, "new invite link dialog")
    dialog(ana).get_by_role("button", name="Create link").click()
    link = ana.get_by_role("textbox", name="Invite link to copy").input_value()
    ana.get_by_role("button", name="Copy link").click()
    assert ana.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(ana, "group page")
    return link


def ben_joins_by_link(browsing, link, ana):
    ben = browsing.page(browsing.person(viewport=PHONE), "/")
    ben.goto(link)
    expect(ben.get_by_role("heading", name="You're invited to a group on PlanPal")).to_be_visible()
    assert_accessible(ben, "invite page (signed out)")
    fits_the_phone(ben, "invite page")
    sign_up(ben, "ben", "Ben Vu")
    ben.get_by_role("button", name="Join the group").click()
    expect(ben.get_by_role("heading", name="Hoi An crew")).to_be_visible()
    wait_live(ben)
    in_view(ben, ben.get_by_role("textbox", name="Message"), "group chat composer")
    fits_the_phone(ben, "group chat")
    assert_accessible(ben, "group chat (phone)")
    expect(ana.locator(".member-row", has_text="Ben Vu")).to_have_count(1, timeout=LIVE)
    return ben


def ana_and_cat_become_friends(ana, cat):
    nav(ana, "Friends")
    ana.get_by_role("searchbox", name="Find people").fill("cat")
    ana.get_by_role("button", name="Search").click()
    ana.get_by_role("button", name="Add Cat Le as a friend").click()
    nav(cat, "Friends")
    cat.get_by_role("button", name="Accept Ana Pham").click(timeout=LIVE)
    expect(ana.get_by_role("list", name="Friends")).to_contain_text("Cat Le", timeout=LIVE)
    assert_accessible(cat, "friends page")


def ana_adds_cat_to_the_group(ana, cat):
    nav(cat, "Trips")
    mark_page(cat)
    nav(ana, "Trips")
    ana.get_by_role("link", name="Hoi An crew", exact=True).click()
    ana.get_by_role("button", name="Add a friend").click()
    dialog(ana).get_by_label("Friend").select_option(label="Cat Le")
    dialog(ana).get_by_role("button", name="Add to group").click()
    expect(cat.get_by_role("link", name="Hoi An crew", exact=True)).to_be_visible(timeout=LIVE)
    assert_not_reloaded(cat)


def plan_the_trip(ana, ben, cat):
    nav(ana, "Trips")
    ana.get_by_role("button", name="New plan").click()
    dialog(ana).get_by_label("Title").fill("Hoi An weekend")
    dialog(ana).get_by_role("button", name="Create plan").click()
    expect(ana.get_by_role("heading", name="Hoi An weekend")).to_be_visible()
    expect(cat.get_by_role("link", name="Hoi An weekend", exact=True)).to_be_visible(timeout=LIVE)
    cat.get_by_role("link", name="Hoi An weekend", exact=True).click()
    mark_page(cat)
    for title, cost in (("Lantern walk", "5"), ("Tailor fitting", "40")):
        ana.get_by_role("button", name="Add activity").click()
        dialog(ana).get_by_label("Title").fill(title)
        dialog(ana).get_by_label("Estimated cost").fill(cost)
        dialog(ana).get_by_label("Currency").fill("USD")
        dialog(ana).get_by_role("button", name="Add activity").click()
        expect(dialog(ana)).to_have_count(0)
        expect(cat.locator(".title-text", has_text=title)).to_have_count(1, timeout=LIVE)
    expect(cat.locator(".trip-total")).to_contain_text("$45.00", timeout=LIVE)
    for page in (ana, cat):
        page.get_by_text("Custom order").click()
    ana.get_by_role("button", name="Move Tailor fitting up").click()
    order = cat.locator("ol.activity-list .title-text")
    expect(order).to_have_text(["Tailor fitting", "Lantern walk"], timeout=LIVE)
    nav(ben, "Trips")
    ben.get_by_role("link", name="Hoi An weekend", exact=True).click()
    fits_the_phone(ben, "plan page")
    assert_accessible(ben, "plan page (phone)")
    ben.get_by_role("button", name="Mark Lantern walk done").click()
    done = ana.locator("li.activity", has_text="Lantern walk")
    expect(done).to_contain_text("Done by Ben Vu", timeout=LIVE)
    expect(ana.get_by_role("list", name="Plan activity")).to_contain_text("Ben Vu", timeout=LIVE)
    assert_accessible(ana, "plan page")
    assert_not_reloaded(cat)
    add_to_calendar(ana)


def add_to_calendar(ana):
    link = ana.get_by_role("link", name="Add Lantern walk to calendar")
    answer = ana.request.get(urljoin(ana.url, link.get_attribute("href")))
    assert answer.ok and answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Lantern walk" in answer.text()


def chat_in_the_group(ana, ben):
    nav(ben, "Chats")
    ben.get_by_role("link", name=re.compile("Hoi An crew")).click()
    mark_page(ben)
    nav(ana, "Chats")
    assert_accessible(ana, "chats")
    ana.get_by_role("link", name=re.compile("Hoi An crew")).click()
    composer = ana.get_by_role("textbox", name="Message")
    composer.fill("Meet at the bridge at 6")
    composer.press("Enter")
    expect(ben.locator(".message-text", has_text="Meet at the bridge at 6")).to_be_visible(
        timeout=LIVE
    )
    composer.fill("Bring cash for the mrket")
    composer.press("Enter")
    mine = ana.locator(".message.mine", has_text="Bring cash for the mrket")
    mine.get_by_role("button", name=re.compile("^Edit message")).click()
    dialog(ana).get_by_label("Message").fill("Bring cash for the market")
    dialog(ana).get_by_role("button", name="Save").click()
    edited = ben.locator(".message", has_text="Bring cash for the market")
    expect(edited).to_contain_text("edited", timeout=LIVE)
    ana.locator(".message.mine", has_text="Meet at the bridge").get_by_role(
        "button", name=re.compile("^Delete message")
    ).click()
    dialog(ana).get_by_role("button", name="Delete message").click()
    expect(ben.locator(".message-text.deleted")).to_have_count(1, timeout=LIVE)
    in_view(ben, ben.get_by_role("textbox", name="Message"), "group chat composer")
    assert_not_reloaded(ben)


def ben_answers_cat_from_the_bell(ben, cat):
    nav(cat, "Friends")
    cat.get_by_role("searchbox", name="Find people").fill("ben")
    cat.get_by_role("button", name="Search").click()
    cat.get_by_role("button", name="Add Ben Vu as a friend").click()
    bell = ben.get_by_role("button", name=re.compile("^Notifications, \\d+ unread"))
    bell.click(timeout=LIVE)
    assert_accessible(ben, "notifications")
    ben.get_by_role("button", name=re.compile("Cat Le")).first.click()
    ben.get_by_role("button", name="Accept Cat Le").click()
    expect(cat.get_by_role("list", name="Friends")).to_contain_text("Ben Vu", timeout=LIVE)


def ben_and_cat_chat_directly(ben, cat):
    cat.get_by_role("button", name="Message Ben Vu").click()
    expect(cat.get_by_role("heading", name="Ben Vu")).to_be_visible()
    cat.get_by_role("textbox", name="Message").fill("Shall we share a cab?")
    cat.get_by_role("textbox", name="Message").press("Enter")
    nav(ben, "Chats")
    row = ben.get_by_role("link", name=re.compile("Cat Le"))
    expect(row).to_contain_text("1 unread", timeout=LIVE)
    row.click()
    expect(ben.locator(".message-text", has_text="Shall we share a cab?")).to_be_visible()
    ben.get_by_role("textbox", name="Message").fill("Yes, 5 pm")
    ben.get_by_role("textbox", name="Message").press("Enter")
    expect(cat.locator(".message-text", has_text="Yes, 5 pm")).to_be_visible(timeout=LIVE)
    in_view(ben, ben.get_by_role("textbox", name="Message"), "direct chat composer")
    assert_accessible(cat, "direct chat")


def tab_to(page, name: str, *, back: bool = False, limit: int = 60) -> None:
    """Press Tab (Shift+Tab) until the focused element's accessible name starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.textContent || '')"
            ".replace(/\\s+/g, ' ').trim(); })()"
        )
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def cat_uses_the_keyboard_only(cat, ana):
    nav(ana, "Trips")
    ana.get_by_role("link", name="Hoi An weekend", exact=True).click()
    mark_page(ana)
    tab_to(cat, "Trips", back=True)
    cat.keyboard.press("Enter")
    expect(cat.get_by_role("heading", name="Your trips")).to_be_focused()
    tab_to(cat, "Hoi An weekend")
    cat.keyboard.press("Enter")
    expect(cat.get_by_role("heading", name="Hoi An weekend")).to_be_focused()
    tab_to(cat, "Mark Tailor fitting done")
    cat.keyboard.press("Enter")
    expect(ana.locator("li.activity.done", has_text="Tailor fitting")).to_have_count(
        1, timeout=LIVE
    )
    tab_to(cat, "Add activity", back=True)
    cat.keyboard.press("Enter")
    expect(dialog(cat).get_by_label("Title")).to_be_focused()
    cat.keyboard.press("Escape")
    expect(dialog(cat)).to_have_count(0)


def profile_and_settings(ana):
    nav(ana, "Profile")
    ana.get_by_label("Display name").fill("Ana P.")
    ana.get_by_role("button", name="Save profile").click()
    expect(ana.locator("#me-name")).to_have_text("Ana P.")
    ana.get_by_label("Quiet from").fill("22:00")
    ana.get_by_label("Quiet until").fill("07:00")
    ana.get_by_role("button", name="Save notification settings").click()
    expect(ana.locator("#status")).to_have_text("Notification settings saved.")
    calendar_feed(ana)
    assert_accessible(ana, "profile and settings")


def calendar_feed(ana):
    field = ana.get_by_label("Calendar feed URL")
    expect(field).to_have_value(re.compile(r"/api/v1/calendar/[0-9a-f]{64}\.ics$"))
    old = field.input_value()
    assert "SUMMARY:Hoi An weekend" in ana.request.get(old).text()
    ana.get_by_role("button", name="New URL").click()
    dialog(ana).get_by_role("button", name="New URL").click()
    expect(field).not_to_have_value(old)
    assert ana.request.get(old).status == 404
    assert ana.request.get(field.input_value()).ok


def test_three_new_people_plan_a_trip_together_without_leaving_the_browser(browsing):
    ana_context = browsing.person()
    ana_context.grant_permissions(["clipboard-read", "clipboard-write"])
    ana = browsing.page(ana_context, "/")
    assert_accessible(ana, "sign in")
    sign_up(ana, "ana", "Ana Pham")
    expect(ana.get_by_role("heading", name="Your trips")).to_be_visible()
    wait_live(ana)
    assert_accessible(ana, "home")
    link = group_and_invite(ana)
    ben = ben_joins_by_link(browsing, link, ana)
    cat = browsing.page(browsing.person(), "/")
    sign_up(cat, "cat", "Cat Le")
    wait_live(cat)
    ana_and_cat_become_friends(ana, cat)
    ana_adds_cat_to_the_group(ana, cat)
    plan_the_trip(ana, ben, cat)
    chat_in_the_group(ana, ben)
    ben_answers_cat_from_the_bell(ben, cat)
    ben_and_cat_chat_directly(ben, cat)
    cat_uses_the_keyboard_only(cat, ana)
    profile_and_settings(ana)
