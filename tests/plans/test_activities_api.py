"""GET/POST plans/{id}/activities, GET/PATCH/DELETE activities/{id}."""

import pytest

from planpal.plans.models import Activity
from planpal.realtime.models import Event
from tests.conftest import assert_error
from tests.plans.factories import (
    activity_url,
    at,
    iso,
    make_activity,
    plan_topic,
    plan_url,
    set_status,
)


def activity_body(plan, start_hour: float, hours: float = 2, **extra) -> dict:
    return {
        "title": "Tram 28",
        "starts_at": iso(at(plan, start_hour)),
        "ends_at": iso(at(plan, start_hour + hours)),
        **extra,
    }


def post_activity(client, plan, start_hour: float, hours: float = 2, **extra):
    return client.post(
        plan_url(plan, "/activities"),
        activity_body(plan, start_hour, hours, **extra),
        format="json",
    )


# ---------------------------------------------------------------------------- create


def test_member_adds_an_activity(as_, trip_plan, bob, events):
    response = post_activity(
        as_("bob"),
        trip_plan,
        3,
        kind="sightseeing",
        location_name="Alfama",
        location_address="Largo das Portas do Sol, Lisboa",
        lat="38.712345",
        lng=-9.1302,
        estimated_cost="3.10",
        currency="eur",
        notes="Get on at Martim Moniz",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    activity = Activity.objects.get()
    assert body == {
        "id": activity.pk,
        "plan": trip_plan.pk,
        "title": "Tram 28",
        "kind": "sightseeing",
        "starts_at": iso(at(trip_plan, 3)),
        "ends_at": iso(at(trip_plan, 5)),
        "location_name": "Alfama",
        "location_address": "Largo das Portas do Sol, Lisboa",
        "lat": "38.712345",
        "lng": "-9.130200",
        "estimated_cost": "3.10",
        "currency": "EUR",
        "notes": "Get on at Martim Moniz",
        "position": 0,
        "completed_at": None,
        "completed_by": None,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name) == (2, "plan.activity_created")
    assert payload == body


def test_new_activities_go_to_the_end_of_the_order(as_, trip_plan):
    positions = [
        post_activity(as_("bob"), trip_plan, hour).json()["position"] for hour in (9, 1, 5)
    ]

    assert positions == [0, 1, 2]


def test_activities_list_carries_the_stream(as_, trip_plan, bob):
    make_activity(bob, trip_plan, start_hour=1)

    body = as_("carol").get(plan_url(trip_plan, "/activities")).json()

    assert body["stream"] == {"topic": plan_topic(trip_plan), "seq": 2}
    assert len(body["results"]) == 1


def test_activities_of_a_plan_i_cannot_see_are_not_found(as_, trip_plan):
    assert_error(as_("dave").get(plan_url(trip_plan, "/activities")), 404)
    assert_error(post_activity(as_("dave"), trip_plan, 1), 404)
    assert Activity.objects.count() == 0


def test_personal_plan_participant_adds_activities(as_, personal_plan):
    assert post_activity(as_("bob"), personal_plan, 1).status_code == 201
    assert_error(post_activity(as_("carol"), personal_plan, 4), 404)


def test_a_retried_create_with_its_client_id_returns_the_first_activity(
    as_, trip_plan, bob, events
):
    first = post_activity(as_("bob"), trip_plan, 3, client_id="tram-1")
    retry = post_activity(as_("bob"), trip_plan, 3, client_id="tram-1")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"]
    assert Activity.objects.count() == 1
    created = events(plan_topic(trip_plan), names={"plan.activity_created"})
    assert len(created) == 1
    event = Event.objects.get(topic=plan_topic(trip_plan), name="plan.activity_created")
    assert event.client_id == "tram-1"  # the creating device reconciles its optimistic row


def test_the_idempotency_key_header_stands_in_for_client_id(as_, trip_plan, bob):
    client = as_("bob")
    url, body = plan_url(trip_plan, "/activities"), activity_body(trip_plan, 3)
    first = client.post(url, body, format="json", headers={"Idempotency-Key": "k-1"})
    retry = client.post(url, body, format="json", headers={"Idempotency-Key": "k-1"})

    assert (first.status_code, retry.status_code) == (201, 200)
    assert Activity.objects.count() == 1


def test_client_ids_are_per_author_and_a_new_one_creates_a_new_activity(as_, trip_plan, bob):
    assert post_activity(as_("bob"), trip_plan, 3, client_id="same").status_code == 201
    # Another member's key of the same text is theirs: it collides only with itself (overlap).
    assert_error(post_activity(as_("alice"), trip_plan, 3, client_id="same"), 400, "overlap")
    assert post_activity(as_("alice"), trip_plan, 6, client_id="same").status_code == 201
    assert post_activity(as_("bob"), trip_plan, 9, client_id="other").status_code == 201
    assert Activity.objects.count() == 3


def test_a_client_id_too_long_is_400_and_creates_nothing(as_, trip_plan, events):
    response = post_activity(as_("bob"), trip_plan, 3, client_id="x" * 65)
    assert "client_id" in assert_error(response, 400)["fields"]
    assert Activity.objects.count() == 0
    assert events(plan_topic(trip_plan), prefix="plan.activity") == []


# ---------------------------------------------------------------------------- overlap and window


@pytest.mark.parametrize(
    ("start_hour", "hours"),
    [(10, 2), (8, 3), (11, 4), (11, 0.5), (8, 6), (10.5, 0.25)],
    ids=["same", "ends-inside", "starts-inside", "contained", "contains", "tiny-inside"],
)
def test_any_intersection_is_an_overlap(as_, trip_plan, bob, start_hour, hours):
    existing = make_activity(bob, trip_plan, start_hour=10, hours=2)

    response = post_activity(as_("bob"), trip_plan, start_hour, hours)

    error = assert_error(response, 400, "overlap")
    assert error["fields"]["conflicting_activity"] == [str(existing.pk)]
    assert str(existing.pk) in error["message"]
    assert Activity.objects.count() == 1


@pytest.mark.parametrize(("start_hour", "hours"), [(8, 2), (12, 1)], ids=["before", "after"])
def test_touching_activities_are_allowed(as_, trip_plan, bob, start_hour, hours):
    make_activity(bob, trip_plan, start_hour=10, hours=2)

    assert post_activity(as_("bob"), trip_plan, start_hour, hours).status_code == 201


@pytest.mark.parametrize(
    ("start_hour", "hours", "field"),
    [(-1, 2, "starts_at"), (95, 2, "ends_at"), (-5, 200, "starts_at"), (97, 1, "ends_at")],
)
def test_activity_outside_the_plan_is_refused(as_, trip_plan, start_hour, hours, field):
    error = assert_error(
        post_activity(as_("bob"), trip_plan, start_hour, hours), 400, "outside_plan"
    )

    assert field in error["fields"]
    assert Activity.objects.count() == 0


def test_activity_may_fill_the_whole_plan(as_, trip_plan):
    assert post_activity(as_("bob"), trip_plan, 0, 96).status_code == 201


@pytest.mark.parametrize("hours", [0, -1])
def test_activity_must_end_after_it_starts(as_, trip_plan, hours):
    error = assert_error(post_activity(as_("bob"), trip_plan, 5, hours), 400, "invalid")

    assert "ends_at" in error["fields"]


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_closed_plan_takes_no_new_activities(as_, trip_plan, status):
    set_status(trip_plan, status)

    assert_error(post_activity(as_("bob"), trip_plan, 1), 409, "plan_closed")


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 10_000}, "title"),
        ({"title": {"en": "Tram"}}, "title"),
        ({"kind": "party"}, "kind"),
        ({"lat": "90.000001"}, "lat"),
        ({"lat": -91}, "lat"),
        ({"lng": "180.5"}, "lng"),
        ({"lat": "1e30"}, "lat"),
        ({"lat": "NaN"}, "lat"),
        ({"lng": "Infinity"}, "lng"),
        ({"lat": "north"}, "lat"),
        ({"lat": "38.7"}, "lng"),  # lat without lng
        ({"estimated_cost": "-1"}, "estimated_cost"),
        ({"estimated_cost": "10000000000.00"}, "estimated_cost"),
        ({"estimated_cost": "1.234"}, "estimated_cost"),
        ({"estimated_cost": "1e400"}, "estimated_cost"),
        ({"estimated_cost": [1]}, "estimated_cost"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "E1R"}, "currency"),
        ({"currency": "ÉUR"}, "currency"),
        ({"notes": "x" * 10_000}, "notes"),
        ({"location_name": "x" * 201}, "location_name"),
        ({"location_address": "x" * 501}, "location_address"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": None}, "starts_at"),
        ({"ends_at": 12}, "ends_at"),
        ({"position": 3}, "position"),
        ({"version": 1}, "version"),
        ({"title": "Nul\x00byte"}, "title"),
    ],
)
def test_bad_activity_input_is_refused_and_nothing_is_written(as_, trip_plan, extra, field, events):
    response = post_activity(as_("bob"), trip_plan, 1, **extra)

    error = assert_error(response, 400)
    assert field in error["fields"], error
    assert Activity.objects.count() == 0
    assert len(events(plan_topic(trip_plan))) == 1


def test_gps_coordinates_are_rounded_to_six_places(as_, trip_plan):
    response = post_activity(as_("bob"), trip_plan, 1, lat=38.71234567891, lng="-9.13020049")

    assert (response.json()["lat"], response.json()["lng"]) == ("38.712346", "-9.130200")


# ---------------------------------------------------------------------------- update


def test_member_edits_an_activity(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)

    response = as_("alice").patch(
        activity_url(activity),
        {"title": "Tram 12", "ends_at": iso(at(trip_plan, 4)), "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["ends_at"], body["version"]) == (
        "Tram 12",
        iso(at(trip_plan, 4)),
        2,
    )
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name, payload) == (3, "plan.activity_updated", body)


def test_stale_activity_version_gets_409_with_the_current_activity(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)
    as_("bob").patch(activity_url(activity), {"title": "First", "version": 1}, format="json")

    response = as_("alice").patch(
        activity_url(activity), {"title": "Second", "version": 1}, format="json"
    )

    error = assert_error(response, 409, "version_conflict")
    assert (error["current"]["title"], error["current"]["version"]) == ("First", 2)
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("First", 2)
    assert len(events(plan_topic(trip_plan))) == 3


def test_activity_edit_requires_a_version(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)

    error = assert_error(
        as_("bob").patch(activity_url(activity), {"title": "x"}, format="json"), 400, "invalid"
    )

    assert "version" in error["fields"]


def test_moving_an_activity_onto_another_is_an_overlap(as_, trip_plan, bob):
    first = make_activity(bob, trip_plan, start_hour=1)
    second = make_activity(bob, trip_plan, start_hour=5)

    response = as_("bob").patch(
        activity_url(second), {"starts_at": iso(at(trip_plan, 2)), "version": 1}, format="json"
    )

    error = assert_error(response, 400, "overlap")
    assert error["fields"]["conflicting_activity"] == [str(first.pk)]
    second.refresh_from_db()
    assert (second.starts_at, second.version) == (at(trip_plan, 5), 1)


def test_an_activity_does_not_overlap_itself(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1, hours=2)

    response = as_("bob").patch(
        activity_url(activity), {"starts_at": iso(at(trip_plan, 2)), "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content


def test_activity_cannot_be_moved_outside_the_plan(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)

    response = as_("bob").patch(
        activity_url(activity), {"ends_at": iso(at(trip_plan, 100)), "version": 1}, format="json"
    )

    assert_error(response, 400, "outside_plan")


def test_starts_at_alone_must_stay_before_the_current_end(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1, hours=2)

    response = as_("bob").patch(
        activity_url(activity), {"starts_at": iso(at(trip_plan, 3)), "version": 1}, format="json"
    )

    assert_error(response, 400, "invalid")


def test_coordinates_can_be_cleared_together(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1, lat="38.7", lng="-9.1")

    response = as_("bob").patch(
        activity_url(activity), {"lat": None, "lng": None, "version": 1}, format="json"
    )

    assert (response.json()["lat"], response.json()["lng"]) == (None, None)


def test_outsider_cannot_see_or_edit_an_activity(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)

    assert_error(as_("dave").get(activity_url(activity)), 404)
    assert_error(
        as_("dave").patch(activity_url(activity), {"title": "x", "version": 1}, format="json"), 404
    )
    assert_error(as_("dave").delete(activity_url(activity)), 404)
    activity.refresh_from_db()
    assert activity.version == 1


@pytest.mark.parametrize("activity_id", [999_999, 2**63, 10**40])
def test_unknown_activity_is_not_found(as_, activity_id):
    assert_error(as_("bob").get(activity_url(activity_id)), 404)
    assert_error(
        as_("bob").patch(activity_url(activity_id), {"title": "x", "version": 1}, format="json"),
        404,
    )


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_activities_of_a_closed_plan_cannot_be_edited_or_deleted(as_, trip_plan, bob, status):
    activity = make_activity(bob, trip_plan, start_hour=1)
    set_status(trip_plan, status)

    assert_error(
        as_("bob").patch(activity_url(activity), {"title": "x", "version": 1}, format="json"),
        409,
        "plan_closed",
    )
    assert_error(as_("bob").delete(activity_url(activity)), 409, "plan_closed")


# ---------------------------------------------------------------------------- delete


def test_a_stale_delete_is_refused_with_the_current_activity(as_, trip_plan, bob, events):
    """Issue 13 #10: DELETE ignored `version`, so a stale client deleted another member's fresh
    edit. With ?version= or If-Match it is a 409 carrying the activity as it is now."""
    activity = make_activity(bob, trip_plan, start_hour=1)
    edited = as_("bob").patch(
        activity_url(activity), {"notes": "bring cash", "version": 1}, format="json"
    )
    assert edited.status_code == 200, edited.content

    by_query = as_("carol").delete(activity_url(activity) + "?version=1")
    by_header = as_("carol").delete(activity_url(activity), HTTP_IF_MATCH='"1"')

    for response in (by_query, by_header):
        error = assert_error(response, 409, "version_conflict")
        assert (error["current"]["version"], error["current"]["notes"]) == (2, "bring cash")
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert events(plan_topic(trip_plan))[-1][1] == "plan.activity_updated"
    fresh = as_("carol").delete(activity_url(activity), HTTP_IF_MATCH='W/"2"')
    assert fresh.status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?version=0", {}),
        ("?version=x", {}),
        ("", {"HTTP_IF_MATCH": "abc"}),
        ("?version=1", {"HTTP_IF_MATCH": "2"}),
    ],
)
def test_a_malformed_delete_version_is_a_400_and_deletes_nothing(
    as_, trip_plan, bob, query, headers
):
    activity = make_activity(bob, trip_plan, start_hour=1)

    assert_error(as_("carol").delete(activity_url(activity) + query, **headers), 400, "invalid")
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_member_deletes_an_activity(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)

    response = as_("carol").delete(activity_url(activity))

    assert response.status_code == 204
    assert not Activity.objects.exists()
    assert events(plan_topic(trip_plan))[-1] == (
        3,
        "plan.activity_deleted",
        {"plan_id": trip_plan.pk, "activity_id": activity.pk},
    )
