"""GET/POST plans, GET/PATCH/DELETE plans/{id}."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.plans.models import Plan
from planpal.plans.serializers import PlanOutputSerializer
from tests.conftest import assert_error
from tests.factories import make_group
from tests.plans.factories import (
    at,
    iso,
    make_activity,
    make_plan,
    plan_topic,
    plan_url,
    set_status,
    start_of_trip,
)

PLANS = "/api/v1/plans"


def new_plan_body(**overrides) -> dict:
    start = start_of_trip()
    body = {
        "title": "Lisbon",
        "description": "Pastéis every day",
        "start_at": iso(start),
        "end_at": iso(start + timedelta(days=3)),
        "timezone": "Europe/Lisbon",
    }
    body.update(overrides)
    return body


# ---------------------------------------------------------------------------- create


def test_member_creates_a_group_plan(as_, trip, bob, events):
    response = as_("bob").post(PLANS, new_plan_body(group=trip.pk), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    plan = Plan.objects.get()
    assert body["id"] == plan.pk
    assert body["group"] == trip.pk
    assert body["creator"] == {
        "id": bob.pk,
        "username": "bob",
        "display_name": "Bob",
        "avatar_url": "",
    }
    assert body["status"] == "upcoming"
    assert body["version"] == 1
    assert body["timezone"] == "Europe/Lisbon"
    assert body["start_at"] == iso(start_of_trip())
    assert body["can_manage"] is True
    assert body["activity_count"] == 0
    assert body["activities"] == []
    assert body["participants"] == []
    assert body["stream"] == {"topic": plan_topic(plan), "seq": 1}
    assert [name for _, name, _ in events(plan_topic(plan))] == ["plan.created"]


def test_new_group_plan_is_announced_on_the_group_topic(as_, trip, events):
    response = as_("bob").post(PLANS, new_plan_body(group=trip.pk), format="json")

    [(_, name, payload)] = events(f"group:{trip.pk}")
    assert name == "plan.created"
    assert payload["id"] == response.json()["id"]


def test_outsider_cannot_create_a_plan_in_a_group(as_, trip):
    response = as_("dave").post(PLANS, new_plan_body(group=trip.pk), format="json")

    assert_error(response, 404, "not_found")
    assert Plan.objects.count() == 0


def test_plan_in_unknown_group_is_not_found(as_, trip):
    response = as_("bob").post(PLANS, new_plan_body(group=999_999), format="json")

    assert_error(response, 404, "not_found")
    assert Plan.objects.count() == 0


def test_anyone_creates_a_personal_plan(as_, dave, events):
    response = as_("dave").post(PLANS, new_plan_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["group"] is None
    assert body["can_manage"] is True
    assert [name for _, name, _ in events(f"user:{dave.pk}")] == ["plan.created"]


def test_time_zone_defaults_to_the_creators(as_, bob):
    bob.timezone = "Asia/Tokyo"
    bob.save()
    body = new_plan_body()
    del body["timezone"]

    response = as_("bob").post(PLANS, body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["timezone"] == "Asia/Tokyo"


def test_offsets_are_normalised_to_utc(as_):
    start = start_of_trip()
    body = new_plan_body(start_at=start.astimezone(timezone.get_fixed_timezone(120)).isoformat())

    response = as_("bob").post(PLANS, body, format="json")

    assert response.json()["start_at"] == iso(start)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 10_000}, "title"),
        ({"description": "x" * 10_000}, "description"),
        ({"title": ["Lisbon"]}, "title"),
        ({"title": None}, "title"),
        ({"start_at": "next tuesday"}, "start_at"),
        ({"start_at": 1764331200}, "start_at"),
        ({"end_at": None}, "end_at"),
        ({"group": "lisbon"}, "group"),
        ({"group": 10**30}, "group"),
        ({"group": 0}, "group"),
        ({"group": True}, "group"),
        ({"status": "ongoing"}, "status"),
        ({"end_at": iso(start_of_trip())}, "end_at"),
        ({"end_at": iso(start_of_trip() - timedelta(hours=1))}, "end_at"),
        ({"start_at": "0001-01-01T00:00:00+01:00"}, "start_at"),
        ({"end_at": "9999-12-31T23:59:59-01:00"}, "end_at"),
    ],
)
def test_bad_plan_input_is_refused_and_nothing_is_written(as_, overrides, field):
    response = as_("bob").post(PLANS, new_plan_body(**overrides), format="json")

    error = assert_error(response, 400)
    assert field in error["fields"], error
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("missing", ["title", "start_at", "end_at"])
def test_required_fields_are_reported(as_, missing):
    body = new_plan_body()
    del body[missing]

    error = assert_error(as_("bob").post(PLANS, body, format="json"), 400, "invalid")

    assert missing in error["fields"]


@pytest.mark.parametrize(
    ("start_offset", "days", "field"),
    [
        (timedelta(days=-400), 3, "start_at"),
        (timedelta(days=365 * 11), 3, "start_at"),
        (timedelta(days=1), 400, "end_at"),
    ],
)
def test_absurd_dates_are_refused(as_, start_offset, days, field):
    start = timezone.now() + start_offset
    body = new_plan_body(start_at=iso(start), end_at=iso(start + timedelta(days=days)))

    error = assert_error(as_("bob").post(PLANS, body, format="json"), 400, "invalid")

    assert field in error["fields"]
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("body", [[], "plan", 42, None])
def test_a_body_that_is_not_an_object_is_refused(as_, body):
    response = as_("bob").post(PLANS, body, format="json")

    assert_error(response, 400)
    assert Plan.objects.count() == 0


def test_malformed_json_is_refused(as_):
    response = as_("bob").post(PLANS, "{not json", content_type="application/json")

    assert_error(response, 400)


# ---------------------------------------------------------------------------- list


def test_list_shows_the_plans_of_my_groups_and_my_personal_plans(
    as_, trip, trip_plan, personal_plan, alice, bob, dave
):
    other_group = make_group("Dave's club", owner=dave)
    make_plan(dave, group=other_group, title="Not for bob")
    make_plan(dave, title="Dave alone")

    titles = [plan["title"] for plan in as_("bob").get(PLANS).json()["results"]]

    assert sorted(titles) == ["Lisbon", "Weekend in Porto"]


def test_list_items_carry_can_manage_count_and_stream(as_, trip, trip_plan, alice, bob):
    make_activity(bob, trip_plan, start_hour=1)
    alice_plan = make_plan(alice, group=trip, title="Sintra", start=start_of_trip() + timedelta(1))

    response = as_("bob").get(PLANS)

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    first, second = body["results"]
    assert (first["id"], first["can_manage"], first["activity_count"]) == (trip_plan.pk, True, 1)
    assert first["stream"] == {"topic": plan_topic(trip_plan), "seq": 2}
    assert (second["id"], second["can_manage"]) == (alice_plan.pk, False)
    assert "activities" not in first


def test_list_filters_by_status_and_group(as_, trip, trip_plan, personal_plan):
    set_status(personal_plan, "cancelled")

    by_status = as_("bob").get(PLANS, {"status": "cancelled"}).json()["results"]
    by_group = as_("bob").get(PLANS, {"group": trip.pk}).json()["results"]

    assert [plan["id"] for plan in by_status] == [personal_plan.pk]
    assert [plan["id"] for plan in by_group] == [trip_plan.pk]


def test_filtering_by_a_group_i_am_not_in_shows_nothing(as_, trip, trip_plan):
    assert as_("dave").get(PLANS, {"group": trip.pk}).json()["results"] == []


@pytest.mark.parametrize("query", [{"status": "finished"}, {"group": "x"}, {"group": "-1"}])
def test_bad_list_filters_are_refused(as_, query):
    assert_error(as_("bob").get(PLANS, query), 400, "invalid")


def test_list_is_paginated(as_, trip, bob):
    for day in range(3):
        make_plan(bob, group=trip, title=f"Day {day}", start=start_of_trip() + timedelta(day))

    body = as_("bob").get(PLANS, {"limit": 2}).json()

    assert [plan["title"] for plan in body["results"]] == ["Day 0", "Day 1"]
    rest = as_("bob").get(body["next"]).json()
    assert [plan["title"] for plan in rest["results"]] == ["Day 2"]


# ---------------------------------------------------------------------------- detail


def test_member_sees_the_plan_with_its_activities(as_, trip_plan, bob):
    later = make_activity(bob, trip_plan, start_hour=5, title="Dinner")
    earlier = make_activity(bob, trip_plan, start_hour=1, title="Tram 28")

    response = as_("alice").get(plan_url(trip_plan))

    assert response.status_code == 200
    body = response.json()
    assert [activity["id"] for activity in body["activities"]] == [later.pk, earlier.pk]
    assert body["activity_count"] == 2
    assert body["can_manage"] is True  # alice owns the group
    assert body["stream"] == {"topic": plan_topic(trip_plan), "seq": 3}


@pytest.mark.parametrize("plan_id", [999_999, 2**63, 10**40])
def test_unknown_plan_is_not_found(as_, plan_id):
    assert_error(as_("bob").get(plan_url(plan_id)), 404)


def test_outsider_gets_not_found_not_forbidden(as_, trip_plan):
    assert_error(as_("dave").get(plan_url(trip_plan)), 404, "not_found")


def test_member_who_left_the_group_loses_the_plan(as_, trip, trip_plan, bob):
    trip.memberships.filter(user=bob).delete()

    assert_error(as_("bob").get(plan_url(trip_plan)), 404)


# ---------------------------------------------------------------------------- update


@pytest.mark.parametrize("manager", ["bob", "alice", "carol"])  # creator, owner, admin
def test_managers_edit_the_plan(as_, trip_plan, manager, events):
    response = as_(manager).patch(
        plan_url(trip_plan), {"title": "Lisboa", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["version"]) == ("Lisboa", 2)
    assert body["stream"]["seq"] == 2
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name) == (2, "plan.updated")
    assert payload["title"] == "Lisboa"
    assert payload["version"] == 2


def test_plain_member_cannot_edit_a_plan_someone_else_created(as_, trip, alice):
    plan = make_plan(alice, group=trip)

    assert_error(as_("bob").patch(plan_url(plan), {"title": "x", "version": 1}, format="json"), 403)
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Lisbon", 1)


def test_outsider_cannot_edit(as_, trip_plan):
    response = as_("dave").patch(plan_url(trip_plan), {"title": "x", "version": 1}, format="json")

    assert_error(response, 404)


def test_stale_version_gets_409_with_the_current_plan_and_changes_nothing(as_, trip_plan, events):
    as_("bob").patch(plan_url(trip_plan), {"title": "Lisboa", "version": 1}, format="json")

    response = as_("alice").patch(
        plan_url(trip_plan), {"title": "Porto", "version": 1}, format="json"
    )

    error = assert_error(response, 409, "version_conflict")
    assert error["current"]["title"] == "Lisboa"
    assert error["current"]["version"] == 2
    assert error["current"]["can_manage"] is True
    assert "activities" in error["current"]
    # Its stream is the head after bob's edit, read with it: subscribing since it misses nothing.
    assert error["current"]["stream"] == {"topic": plan_topic(trip_plan), "seq": 2}
    trip_plan.refresh_from_db()
    assert (trip_plan.title, trip_plan.version) == ("Lisboa", 2)
    assert len(events(plan_topic(trip_plan))) == 2


def test_a_plan_serialised_without_its_stream_is_a_bug_not_a_late_read(trip_plan, rf, alice):
    """Serializers never read streams: the view reads the head before the snapshot and hands
    it over; one forgotten is an error, not a head read after the snapshot."""
    request = rf.get("/")
    request.user = alice
    with pytest.raises(LookupError, match=plan_topic(trip_plan)):
        PlanOutputSerializer(trip_plan, context={"request": request}).data  # noqa: B018


@pytest.mark.parametrize("version", [None, "one", 0, -1, 10**12])
def test_edit_without_a_valid_version_is_refused(as_, trip_plan, version):
    body = {"title": "Porto"} if version is None else {"title": "Porto", "version": version}

    error = assert_error(as_("bob").patch(plan_url(trip_plan), body, format="json"), 400)

    assert "version" in error["fields"]
    trip_plan.refresh_from_db()
    assert trip_plan.title == "Lisbon"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "completed"},
        {"group": 1},
        {"creator": 1},
        {"title": ""},
        {"title": "x" * 10_000},
        {"timezone": "Nowhere/Special"},
        {"end_at": "2000-01-01T00:00:00Z"},
    ],
)
def test_bad_edits_are_refused_and_change_nothing(as_, trip_plan, changes, events):
    response = as_("bob").patch(plan_url(trip_plan), {**changes, "version": 1}, format="json")

    assert_error(response, 400)
    trip_plan.refresh_from_db()
    assert (trip_plan.title, trip_plan.version, trip_plan.status) == ("Lisbon", 1, "upcoming")
    assert len(events(plan_topic(trip_plan))) == 1


def test_edit_that_changes_nothing_keeps_the_version_and_emits_nothing(as_, trip_plan, events):
    response = as_("bob").patch(
        plan_url(trip_plan), {"title": "Lisbon", "version": 1}, format="json"
    )

    assert response.json()["version"] == 1
    assert len(events(plan_topic(trip_plan))) == 1


def test_new_dates_must_keep_every_activity_inside(as_, trip_plan, bob):
    late = make_activity(bob, trip_plan, start_hour=60)
    make_activity(bob, trip_plan, start_hour=2)

    response = as_("bob").patch(
        plan_url(trip_plan),
        {"end_at": iso(at(trip_plan, 48)), "version": 1},
        format="json",
    )

    error = assert_error(response, 400, "activities_outside")
    assert error["fields"]["activities"] == [str(late.pk)]
    trip_plan.refresh_from_db()
    assert trip_plan.version == 1


def test_dates_can_move_when_activities_still_fit(as_, trip_plan, bob):
    make_activity(bob, trip_plan, start_hour=2)

    response = as_("bob").patch(
        plan_url(trip_plan),
        {"start_at": iso(at(trip_plan, -24)), "end_at": iso(at(trip_plan, 4)), "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["end_at"] == iso(at(trip_plan, 4))


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_closed_plans_cannot_be_edited(as_, trip_plan, status):
    set_status(trip_plan, status)

    response = as_("bob").patch(plan_url(trip_plan), {"title": "x", "version": 1}, format="json")

    assert_error(response, 409, "plan_closed")


def test_ongoing_plan_can_still_be_edited(as_, trip_plan):
    set_status(trip_plan, "ongoing")

    response = as_("bob").patch(plan_url(trip_plan), {"title": "x", "version": 1}, format="json")

    assert response.status_code == 200


# ---------------------------------------------------------------------------- delete


@pytest.mark.parametrize("manager", ["bob", "alice", "carol"])
def test_managers_delete_the_plan(as_, trip_plan, bob, manager, events):
    make_activity(bob, trip_plan, start_hour=1)

    response = as_(manager).delete(plan_url(trip_plan))

    assert response.status_code == 204
    assert not Plan.objects.filter(pk=trip_plan.pk).exists()
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name, payload) == (3, "plan.deleted", {"plan_id": trip_plan.pk})


def test_a_stale_plan_delete_is_refused_with_the_current_plan(as_, trip_plan):
    """Issue 13 #10, for plans: a delete decided on version 1 does not remove version 2."""
    renamed = as_("bob").patch(
        plan_url(trip_plan), {"title": "Lisbon & Sintra", "version": 1}, format="json"
    )
    assert renamed.status_code == 200, renamed.content

    error = assert_error(as_("alice").delete(plan_url(trip_plan) + "?version=1"), 409)

    assert (error["current"]["version"], error["current"]["title"]) == (2, "Lisbon & Sintra")
    assert Plan.objects.filter(pk=trip_plan.pk).exists()
    assert as_("alice").delete(plan_url(trip_plan), HTTP_IF_MATCH="2").status_code == 204


def test_plain_member_cannot_delete_someone_elses_plan(as_, trip, alice):
    plan = make_plan(alice, group=trip)

    assert_error(as_("bob").delete(plan_url(plan)), 403, "forbidden")
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_outsider_cannot_delete(as_, trip_plan):
    assert_error(as_("dave").delete(plan_url(trip_plan)), 404)
    assert Plan.objects.filter(pk=trip_plan.pk).exists()


def test_deleting_an_unknown_plan_is_not_found(as_):
    assert_error(as_("bob").delete(plan_url(424242)), 404)


def test_paging_the_plan_list_while_it_changes_neither_repeats_nor_skips_a_plan(as_, trip):
    """Offset paging (issue 13 #21): a plan inserted before the page boundary repeated the last
    plan of page one on page two; a deleted one made the next plan vanish."""
    start = start_of_trip()
    plans = [
        make_plan(trip.owner, group=trip, title=f"P{i}", start=start + timedelta(days=i))
        for i in range(5)
    ]
    bob = as_("bob")

    first = bob.get(PLANS, {"limit": 2}).json()
    assert [plan["id"] for plan in first["results"]] == [plans[0].pk, plans[1].pk]
    make_plan(trip.owner, group=trip, title="Earlier", start=start - timedelta(days=1))
    second = bob.get(first["next"]).json()
    assert [plan["id"] for plan in second["results"]] == [plans[2].pk, plans[3].pk]
    Plan.objects.filter(pk=plans[2].pk).delete()
    third = bob.get(second["next"]).json()

    assert [plan["id"] for plan in third["results"]] == [plans[4].pk]
    assert third["next"] is None
    back = bob.get(third["previous"]).json()
    assert [plan["id"] for plan in back["results"]] == [plans[1].pk, plans[3].pk]


def test_plans_with_the_same_start_are_paged_by_id(as_, trip):
    start = start_of_trip()
    plans = [make_plan(trip.owner, group=trip, title=f"P{i}", start=start) for i in range(3)]

    first = as_("bob").get(PLANS, {"limit": 2}).json()
    second = as_("bob").get(first["next"]).json()

    ids = [plan["id"] for plan in first["results"] + second["results"]]
    assert ids == [plan.pk for plan in plans]


def test_the_plan_list_refuses_offset_now_that_it_is_cursor_paginated(as_, trip_plan):
    error = assert_error(as_("bob").get(PLANS, {"offset": 2}), 400, "invalid")
    assert set(error["fields"]) == {"offset"}
