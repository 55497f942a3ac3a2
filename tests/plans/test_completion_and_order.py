"""POST activities/{id}/complete|reopen and POST plans/{id}/activities/reorder."""

import pytest

from planpal.plans.models import Activity
from tests.conftest import assert_error
from tests.plans.factories import (
    activity_url,
    make_activity,
    make_plan,
    plan_topic,
    plan_url,
    set_status,
    start_of_trip,
)

# ---------------------------------------------------------------------------- complete / reopen


def test_member_completes_an_activity(as_, trip_plan, bob, carol, events):
    activity = make_activity(bob, trip_plan, start_hour=1)

    response = as_("carol").post(activity_url(activity, "/complete"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["completed_at"] is not None
    assert body["completed_by"]["id"] == carol.pk
    assert body["version"] == 2
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name, payload) == (3, "plan.activity_completed", body)


def test_completing_a_completed_activity_is_a_conflict(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)
    as_("bob").post(activity_url(activity, "/complete"))

    assert_error(as_("alice").post(activity_url(activity, "/complete")), 409, "already_completed")
    activity.refresh_from_db()
    assert (activity.completed_by_id, activity.version) == (bob.pk, 2)
    assert len(events(plan_topic(trip_plan))) == 3


def test_member_reopens_a_completed_activity(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)
    as_("bob").post(activity_url(activity, "/complete"))

    response = as_("alice").post(activity_url(activity, "/reopen"))

    assert response.status_code == 200
    body = response.json()
    assert (body["completed_at"], body["completed_by"], body["version"]) == (None, None, 3)
    assert events(plan_topic(trip_plan))[-1][1:] == ("plan.activity_reopened", body)


def test_reopening_an_open_activity_is_a_conflict(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)

    assert_error(as_("bob").post(activity_url(activity, "/reopen")), 409, "not_completed")
    activity.refresh_from_db()
    assert activity.version == 1


def test_activities_can_be_ticked_off_after_the_plan_completed(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)
    set_status(trip_plan, "completed")

    assert as_("bob").post(activity_url(activity, "/complete")).status_code == 200
    assert as_("bob").post(activity_url(activity, "/reopen")).status_code == 200


def test_activities_of_a_cancelled_plan_cannot_be_completed(as_, trip_plan, bob):
    activity = make_activity(bob, trip_plan, start_hour=1)
    set_status(trip_plan, "cancelled")

    assert_error(as_("bob").post(activity_url(activity, "/complete")), 409, "plan_closed")


@pytest.mark.parametrize("action", ["complete", "reopen"])
def test_outsider_cannot_complete_or_reopen(as_, trip_plan, bob, action):
    activity = make_activity(bob, trip_plan, start_hour=1)

    assert_error(as_("dave").post(activity_url(activity, f"/{action}")), 404)
    assert_error(as_("bob").post(activity_url(987654, f"/{action}")), 404)


# ---------------------------------------------------------------------------- reorder


@pytest.fixture
def three(trip_plan, bob) -> list[Activity]:
    return [make_activity(bob, trip_plan, start_hour=hour) for hour in (1, 4, 7)]


def reorder(client, plan, order):
    return client.post(plan_url(plan, "/activities/reorder"), {"order": order}, format="json")


def test_member_reorders_the_activities(as_, trip_plan, three, events):
    first, second, third = three

    response = reorder(as_("bob"), trip_plan, [third.pk, first.pk, second.pk])

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [(a["id"], a["position"], a["version"]) for a in results] == [
        (third.pk, 0, 2),
        (first.pk, 1, 2),
        (second.pk, 2, 2),
    ]
    assert response.json()["stream"] == {"topic": plan_topic(trip_plan), "seq": 5}
    seq, name, payload = events(plan_topic(trip_plan))[-1]
    assert (seq, name) == (5, "plan.activity_reordered")
    assert payload == {
        "plan_id": trip_plan.pk,
        "order": [third.pk, first.pk, second.pk],
        "versions": {str(third.pk): 2, str(first.pk): 2, str(second.pk): 2},
    }


def test_only_moved_activities_get_a_new_version(as_, trip_plan, three):
    first, second, third = three

    results = reorder(as_("bob"), trip_plan, [first.pk, third.pk, second.pk]).json()["results"]

    assert {a["id"]: a["version"] for a in results} == {first.pk: 1, third.pk: 2, second.pk: 2}


def test_reorder_to_the_same_order_changes_nothing(as_, trip_plan, three, events):
    response = reorder(as_("bob"), trip_plan, [a.pk for a in three])

    assert response.status_code == 200
    assert len(events(plan_topic(trip_plan))) == 4


@pytest.mark.parametrize(
    "make_order",
    [
        lambda a, b, c, other: [a, b],
        lambda a, b, c, other: [a, b, c, c],
        lambda a, b, c, other: [a, b, b],
        lambda a, b, c, other: [a, b, c, other],
        lambda a, b, c, other: [a, b, other],
        lambda a, b, c, other: [],
    ],
    ids=["missing", "duplicate-extra", "duplicate", "foreign-extra", "foreign", "empty"],
)
def test_order_must_list_each_activity_exactly_once(as_, trip, trip_plan, three, bob, make_order):
    other_plan = make_plan(bob, group=trip, title="Other", start=start_of_trip())
    other = make_activity(bob, other_plan, start_hour=1)
    order = make_order(*(a.pk for a in three), other.pk)

    error = assert_error(reorder(as_("bob"), trip_plan, order), 400, "invalid_order")

    assert "order" in error["fields"]
    assert [a.position for a in Activity.objects.filter(plan=trip_plan)] == [0, 1, 2]


@pytest.mark.parametrize(
    "body",
    [{}, {"order": "1,2,3"}, {"order": [1, "two"]}, {"order": [None]}, {"order": [0]}, []],
)
def test_malformed_reorder_is_refused(as_, trip_plan, three, body):
    response = as_("bob").post(plan_url(trip_plan, "/activities/reorder"), body, format="json")

    assert_error(response, 400)


def test_very_long_order_is_refused(as_, trip_plan, three):
    assert_error(reorder(as_("bob"), trip_plan, list(range(1, 10_001))), 400, "invalid")


def test_outsider_cannot_reorder(as_, trip_plan, three):
    assert_error(reorder(as_("dave"), trip_plan, [a.pk for a in reversed(three)]), 404)
    assert_error(reorder(as_("bob"), 555_555, []), 404)


def test_reorder_empty_plan(as_, trip_plan, events):
    response = reorder(as_("bob"), trip_plan, [])

    assert response.json()["results"] == []
    assert len(events(plan_topic(trip_plan))) == 1


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_activities_of_a_closed_plan_cannot_be_reordered(as_, trip_plan, three, status):
    set_status(trip_plan, status)

    assert_error(
        reorder(as_("bob"), trip_plan, [a.pk for a in reversed(three)]), 409, "plan_closed"
    )
