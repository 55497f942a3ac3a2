"""Feed URLs: private, stable until rotated, closed by a rotation, a password change or a new
SECRET_KEY, and never found by guessing (issue 18)."""

import re

import pytest

from planpal.calendars.models import CalendarFeed
from planpal.core.logging import redact
from tests.calendars.helpers import FEED_URL, feed_url, fetch

TOKEN_PATH = re.compile(r"^/api/v1/calendar/[0-9a-f]{64}\.ics$")


def test_a_feed_url_names_no_id_and_stays_the_same(as_, trip_plan):
    answer = as_("bob").get(FEED_URL).json()
    assert TOKEN_PATH.match(answer["url"].removeprefix("http://testserver"))
    assert answer["webcal_url"] == "webcal://" + answer["url"].removeprefix("http://")
    assert answer["plan"] is None
    assert as_("bob").get(FEED_URL).json()["url"] == answer["url"]
    assert as_("bob").get(FEED_URL)["Cache-Control"] == "private, no-store"
    assert as_("alice").get(FEED_URL).json()["url"] != answer["url"]
    assert feed_url(as_("bob"), plan=trip_plan) not in (answer["url"], feed_url(as_("alice")))


def test_links_use_public_url(as_, settings, trip_plan):
    settings.PUBLIC_URL = "https://trips.example.org"
    assert (
        as_("bob")
        .get(FEED_URL)
        .json()["url"]
        .startswith("https://trips.example.org/api/v1/calendar/")
    )


def test_a_rotated_url_answers_404(as_, anon, trip_plan):
    old = feed_url(as_("bob"))
    fetch(anon, old)

    answer = as_("bob").post(f"{FEED_URL}/rotate", {}, format="json")
    assert answer.status_code == 200
    new = answer.json()["url"].removeprefix("http://testserver")

    assert new != old
    assert anon.get(old).status_code == 404
    assert anon.get(old).json()["error"]["code"] == "not_found"
    fetch(anon, new)
    assert feed_url(as_("bob")) == new


def test_rotating_a_plan_feed_leaves_the_others(as_, anon, trip_plan):
    everything, one_plan = feed_url(as_("bob")), feed_url(as_("bob"), plan=trip_plan)

    answer = as_("bob").post(f"{FEED_URL}/rotate", {"plan": trip_plan.pk}, format="json")

    assert answer.json()["plan"] == trip_plan.pk
    assert anon.get(one_plan).status_code == 404
    fetch(anon, everything)


@pytest.mark.parametrize(
    "token",
    ["0" * 64, "a" * 63, "not-hex", "%00", "x" * 128],
)
def test_unknown_tokens_answer_404(anon, as_, trip_plan, token):
    feed_url(as_("bob"))
    answer = anon.get(f"/api/v1/calendar/{token}.ics", HTTP_ACCEPT="text/calendar")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_token_one_character_off_answers_404(as_, anon, trip_plan):
    path = feed_url(as_("bob"))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    off = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert anon.get(f"/api/v1/calendar/{off}.ics").status_code == 404


def test_a_password_change_closes_the_feed_and_the_next_ask_gives_a_new_url(
    as_, anon, bob, trip_plan
):
    old = feed_url(as_("bob"))
    bob.token_version += 1  # what a password change or reset does (accounts services)
    bob.save(update_fields=["token_version"])

    assert anon.get(old).status_code == 404
    new = feed_url(as_("bob"))
    assert new != old
    fetch(anon, new)


def test_a_new_secret_key_closes_every_feed(as_, anon, settings, trip_plan):
    old = feed_url(as_("bob"))
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert anon.get(old).status_code == 404
    fetch(anon, feed_url(as_("bob")))


def test_a_deactivated_account_has_no_feed(as_, anon, bob, trip_plan):
    path = feed_url(as_("bob"))
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert anon.get(path).status_code == 404


def test_the_database_alone_does_not_hold_the_url(as_, trip_plan):
    path = feed_url(as_("bob"))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user__username="bob")
    assert token not in (feed.secret, feed.token_hash)


def test_plan_feeds_are_for_members_only(as_, trip_plan):
    assert as_("dave").get(FEED_URL, {"plan": trip_plan.pk}).status_code == 404
    rotate = as_("dave").post(f"{FEED_URL}/rotate", {"plan": trip_plan.pk}, format="json")
    assert rotate.status_code == 404
    assert not CalendarFeed.objects.filter(user__username="dave").exists()


@pytest.mark.parametrize("plan", ["x", "0", "-1", str(2**63)])
def test_a_bad_plan_is_a_400(as_, plan):
    answer = as_("bob").get(FEED_URL, {"plan": plan})
    assert answer.status_code == 400
    assert "plan" in answer.json()["error"]["fields"]


def test_feed_urls_need_a_signed_in_user(anon):
    assert anon.get(FEED_URL).status_code in (401, 403)
    assert anon.post(f"{FEED_URL}/rotate").status_code in (401, 403)


def test_log_lines_never_hold_a_feed_token():
    line = "Not Found: /api/v1/calendar/" + "ab" * 32 + ".ics"
    assert redact(line) == "Not Found: /api/v1/calendar/***.ics"
