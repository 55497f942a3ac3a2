"""The activity feed: GET plans/{id}/events and groups/{id}/events — the event log over REST,
with human summaries, newest first or `since`, cursor-paginated, members only."""

import asyncio

import pytest
from rest_framework.test import APIClient

from planpal.chat.services import message_send
from planpal.core.events import EVENT_TYPES
from planpal.groups import services as groups
from planpal.plans import services as plans
from planpal.realtime.summaries import summarised_names
from tests.conftest import assert_error
from tests.realtime.conftest import rest

pytestmark = pytest.mark.django_db(transaction=True)


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


async def test_the_plan_feed_tells_its_history_in_order_with_summaries(server, trip):
    coffee, market = trip.activities[0], trip.activities[1]
    coffee.location_name = "Dalat market"
    await asyncio.to_thread(coffee.save, update_fields=["location_name"])
    async with rest(server, trip.bob) as bob:
        head = (await bob.get(f"/plans/{trip.plan.pk}/events")).json()["stream"]["seq"]
    async with rest(server, trip.alice) as alice:
        assert (await alice.post(f"/activities/{coffee.pk}/complete")).status_code == 200
    async with rest(server, trip.bob) as bob:
        assert (await bob.post(f"/activities/{market.pk}/complete")).status_code == 200
        assert (await bob.post(f"/activities/{market.pk}/reopen")).status_code == 200
    async with rest(server, trip.alice) as alice:
        assert (await alice.post(f"/plans/{trip.plan.pk}/start")).status_code == 200

    async with rest(server, trip.bob) as bob:
        newest_first = (await bob.get(f"/plans/{trip.plan.pk}/events")).json()
        since = (await bob.get(f"/plans/{trip.plan.pk}/events", params={"since": head})).json()
    async with rest(server, trip.carol) as carol:
        stranger = await carol.get(f"/plans/{trip.plan.pk}/events")

    summaries = [
        "Alice completed Coffee at Dalat market",
        "Bob completed Market",
        "Bob reopened Market",
        "Alice started the plan",
    ]
    assert [item["summary"] for item in since["results"]] == summaries
    assert [item["seq"] for item in since["results"]] == list(range(head + 1, head + 5))
    assert [item["summary"] for item in newest_first["results"][:4]] == summaries[::-1]
    assert newest_first["stream"] == {"topic": trip.plan_topic, "seq": head + 4}
    item = since["results"][0]
    assert item["event"] == "plan.activity_completed" and item["topic"] == trip.plan_topic
    assert item["actor"]["username"] == "alice" and item["data"]["id"] == coffee.pk
    assert item["ts"].endswith("Z") and len(item["id"]) == 36
    assert stranger.status_code == 404
    assert stranger.json()["error"]["code"] == "not_found"


def test_pages_follow_the_cursor_without_gaps_or_repeats(trip):
    for _ in range(3):
        plans.activity_complete(actor=trip.alice, activity_id=trip.activities[0].pk)
        plans.activity_reopen(actor=trip.alice, activity_id=trip.activities[0].pk)
    api = client(trip.bob)
    url = f"/api/v1/plans/{trip.plan.pk}/events"

    def walk(params) -> list[int]:
        seen, page = [], api.get(url, params).json()
        while True:
            seen += [item["seq"] for item in page["results"]]
            if not page["next"]:
                return seen
            page = api.get(page["next"]).json()

    newest_first = walk({"limit": 4})
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) == 6
    assert walk({"limit": 4, "since": 0}) == newest_first[::-1]
    assert walk({"limit": 2, "since": newest_first[2]}) == newest_first[:2][::-1]
    assert_error(api.get(url, {"since": "-1"}), 400, "invalid")


def test_the_group_feed_shows_membership_and_plans_but_not_chat(trip):
    groups.member_set_role(
        actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk, role="admin"
    )
    message_send(actor=trip.bob, conversation=trip.group.conversation, kind="text", text="secret")
    plans.plan_create(
        actor=trip.alice,
        title="Hanoi",
        group_id=trip.group.pk,
        start_at=trip.plan.start_at,
        end_at=trip.plan.end_at,
    )
    groups.member_remove(actor=trip.bob, group_id=trip.group.pk, user_id=trip.bob.pk)

    feed = client(trip.alice).get(f"/api/v1/groups/{trip.group.pk}/events").json()["results"]
    assert [item["summary"] for item in feed] == [
        "Bob left the group",
        "Alice created the plan Hanoi",
        "Alice made Bob an admin",
    ]
    assert_error(client(trip.bob).get(f"/api/v1/groups/{trip.group.pk}/events"), 404, "not_found")
    assert_error(client(trip.carol).get(f"/api/v1/groups/{trip.group.pk}/events"), 404)


def test_a_member_removed_by_someone_else_is_not_said_to_have_left(trip):
    """Issue 20: a removed member showed as "left the plan"."""
    groups.member_remove(actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk)

    feed = client(trip.alice).get(f"/api/v1/plans/{trip.plan.pk}/events").json()["results"]
    departures = [item["summary"] for item in feed if item["event"] == "plan.member_left"]
    assert departures == ["Alice removed Bob from the plan"]


def test_every_plan_and_group_event_has_a_summary_except_chat():
    names = {name for name in EVENT_TYPES if name.startswith(("plan.", "group."))}
    chat = {"group.message_sent", "group.message_edited", "group.message_deleted"}
    assert names - summarised_names() == chat | {"group.messages_read"}
