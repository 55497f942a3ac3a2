"""Take the README's screenshots (docs/screenshots/*.png) of the seeded demo world.

    .venv/bin/python -m tests.web.screenshots

Starts `planpal run` (embedded mode: a fresh SQLite database in a temporary directory, seeded
with alice, bob and carol) on a free port, drives browsers through the main screens on a desktop
(1200 wide) and a phone (360x740), and stops the server again.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "sunny-dalat-trip"  # planpal/ops/management/commands/seed_demo.py
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo(data_dir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PLANPAL_DATA_DIR=data_dir, LOG_LEVEL="warning")
    process = subprocess.Popen(
        [sys.executable, "-m", "planpal.cli", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health/live", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the demo server did not start")


def signed_in(browser, url: str, username: str, viewport=(1200, 800)):
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1
    )
    answer = context.request.post(
        f"{url}/api/v1/auth/login", data={"username": username, "password": PASSWORD}
    )
    assert answer.ok, answer.text()
    return context


def live_page(context, url: str, path: str):
    page = context.new_page()
    page.goto(f"{url}{path}")
    page.locator('#connection[data-state="connected"]').wait_for()
    return page


def shoot(page, name: str, **options) -> None:
    page.wait_for_timeout(300)  # let toasts and focus rings settle
    page.screenshot(path=OUT / f"{name}.png", **options)


def desktop(browser, url: str) -> str:
    login = browser.new_page(viewport={"width": 1200, "height": 720})
    login.goto(url)
    login.get_by_label("Username").fill("alice")
    shoot(login, "login")

    alice = signed_in(browser, url, "alice")
    bob = signed_in(browser, url, "bob")
    alice_home = live_page(alice, url, "/")
    expect(alice_home.locator(".plan-card")).to_have_count(1)
    shoot(alice_home, "home")

    alice_plan = live_page(alice, url, "/#/plans/1")
    bob_plan = live_page(bob, url, "/#/plans/1")
    alice_plan.get_by_role("button", name="Mark Coffee at Dalat market done").click()
    expect(bob_plan.locator("li.activity.done")).to_have_count(1)
    expect(bob_plan.locator(".feed-item").first).to_contain_text("Alice Nguyen")
    shoot(bob_plan, "plan", full_page=True)

    bob_chat = live_page(bob, url, "/#/groups/1/chat")
    alice_chat = live_page(alice, url, "/#/groups/1/chat")
    alice_chat.get_by_role("textbox", name="Message").fill("Coffee done ☕ heading to the lake")
    alice_chat.get_by_role("textbox", name="Message").press("Enter")
    expect(bob_chat.locator(".message.theirs")).to_have_count(3)
    alice_chat.get_by_role("textbox", name="Message").press_sequentially("Who has the")
    expect(bob_chat.locator(".typing")).not_to_have_text("")
    shoot(bob_chat, "chat")

    group = live_page(alice, url, "/#/groups/1")
    group.get_by_role("button", name="New invite link").click()
    group.get_by_role("dialog").get_by_role("button", name="Create link").click()
    link = group.get_by_role("textbox", name="Invite link to copy").input_value()
    shoot(group, "group", full_page=True)

    bob_chats = live_page(bob, url, "/#/conversations")
    shoot(bob_chats, "conversations")
    return link


def phone(browser, url: str, link: str) -> None:
    size = {"width": 360, "height": 740}
    visitor = browser.new_page(viewport=size, device_scale_factor=1)
    visitor.goto(link)
    expect(
        visitor.get_by_role("heading", name="You're invited to a group on PlanPal")
    ).to_be_visible()
    shoot(visitor, "invite-mobile")

    carol = signed_in(browser, url, "carol", viewport=(360, 740))
    phone_plan = live_page(carol, url, "/#/plans/1")
    expect(phone_plan.locator("li.activity")).to_have_count(4)
    shoot(phone_plan, "plan-mobile")
    phone_chat = live_page(carol, url, "/#/groups/1/chat")
    expect(phone_chat.locator(".message")).not_to_have_count(0)
    shoot(phone_chat, "chat-mobile")


def take(browser, url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    link = desktop(browser, url)
    phone(browser, url, link)


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        process, url = start_demo(data_dir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                take(browser, url)
                browser.close()
        finally:
            process.terminate()
            process.wait(10)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
