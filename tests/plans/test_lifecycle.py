"""Plan status: upcoming → ongoing → completed, or cancelled. Manual transitions go through
POST plans/{id}/start|complete|cancel, scheduled ones through plan_transition (compare-and-set)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.core.exceptions import Conflict
from planpal.plans.models import Plan
from planpal.plans.services import plan_transition
from tests.conftest import assert_error
from tests.plans.factories import make_plan, plan_topic, plan_url, set_status

STATUSES = ["upcoming", "ongoing", "completed", "cancelled"]
ACTIONS = {"start": "ongoing", "complete": "completed", "cancel": "cancelled"}
ALLOWED = {
    ("upcoming", "start"),
    ("ongoing", "complete"),
    ("upcoming", "cancel"),
    ("ongoing", "cancel"),
}


def status_events(events, plan):
    return [
        payload for _, name, payload in events(plan_topic(plan)) if name == "plan.status_changed"
    ]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_transition_is_allowed_or_refused(as_, trip_plan, status, action, events):
    set_status(trip_plan, status)

    response = as_("alice").post(plan_url(trip_plan, f"/{action}"))

    trip_plan.refresh_from_db()
    if (status, action) in ALLOWED:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == ACTIONS[action]
        assert body["version"] == 2
        assert trip_plan.status == ACTIONS[action]
        assert trip_plan.status_changed_at is not None
        [payload] = status_events(events, trip_plan)
        assert payload == {
            "plan_id": trip_plan.pk,
            "from": status,
            "to": ACTIONS[action],
            "reason": "manual",
            "status_changed_at": body["status_changed_at"],
            "version": 2,
        }
    else:
        assert_error(response, 409, "invalid_transition")
        assert (trip_plan.status, trip_plan.version) == (status, 1)
        assert status_events(events, trip_plan) == []


def test_cancelled_plan_cannot_start(as_, trip_plan):
    set_status(trip_plan, "cancelled")

    assert_error(as_("bob").post(plan_url(trip_plan, "/start")), 409, "invalid_transition")


def test_full_lifecycle_bumps_the_version_each_step(as_, trip_plan, events):
    as_("bob").post(plan_url(trip_plan, "/start"))
    response = as_("bob").post(plan_url(trip_plan, "/complete"))

    assert (response.json()["status"], response.json()["version"]) == ("completed", 3)
    assert [(e["from"], e["to"]) for e in status_events(events, trip_plan)] == [
        ("upcoming", "ongoing"),
        ("ongoing", "completed"),
    ]


@pytest.mark.parametrize("action", ACTIONS)
def test_plain_member_cannot_change_the_status_of_someone_elses_plan(as_, trip, alice, action):
    plan = make_plan(alice, group=trip)
    if action == "complete":
        set_status(plan, "ongoing")

    assert_error(as_("bob").post(plan_url(plan, f"/{action}")), 403, "forbidden")
    plan.refresh_from_db()
    assert plan.version == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_outsider_gets_not_found(as_, trip_plan, action):
    assert_error(as_("dave").post(plan_url(trip_plan, f"/{action}")), 404)


@pytest.mark.parametrize("action", ACTIONS)
def test_unknown_plan_is_not_found(as_, action):
    assert_error(as_("bob").post(plan_url(31337, f"/{action}")), 404)


def test_personal_plan_participant_cannot_cancel_it(as_, personal_plan):
    assert_error(as_("bob").post(plan_url(personal_plan, "/cancel")), 403)
    assert as_("alice").post(plan_url(personal_plan, "/cancel")).status_code == 200


# ---------------------------------------------------------------------------- compare-and-set


def test_the_same_transition_twice_happens_once(trip_plan, events):
    first = plan_transition(
        plan_id=trip_plan.pk, from_status="upcoming", to_status="ongoing", reason="manual"
    )
    second = plan_transition(
        plan_id=trip_plan.pk, from_status="upcoming", to_status="ongoing", reason="manual"
    )

    assert (first, second) == (True, False)
    trip_plan.refresh_from_db()
    assert (trip_plan.status, trip_plan.version) == ("ongoing", 2)
    assert len(status_events(events, trip_plan)) == 1


def test_scheduled_start_of_a_due_plan(trip, bob, events):
    plan = make_plan(bob, group=trip, start=timezone.now() - timedelta(minutes=1))

    assert plan_transition(
        plan_id=plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
    )
    assert not plan_transition(
        plan_id=plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
    )

    [payload] = status_events(events, plan)
    assert payload["reason"] == "scheduled"
    assert [seq for seq, _, _ in events(plan_topic(plan))] == [1, 2]


def test_scheduled_transition_skips_a_plan_that_is_not_due(trip_plan, events):
    """The sweep may act on a stale list of ids; a plan whose start moved later stays upcoming."""
    started = plan_transition(
        plan_id=trip_plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
    )

    assert started is False
    trip_plan.refresh_from_db()
    assert trip_plan.status == "upcoming"
    assert status_events(events, trip_plan) == []


def test_scheduled_completion_waits_for_the_end(trip_plan):
    set_status(trip_plan, "ongoing")
    assert not plan_transition(
        plan_id=trip_plan.pk, from_status="ongoing", to_status="completed", reason="scheduled"
    )

    Plan.objects.filter(pk=trip_plan.pk).update(
        start_at=timezone.now() - timedelta(days=2), end_at=timezone.now() - timedelta(seconds=1)
    )
    assert plan_transition(
        plan_id=trip_plan.pk, from_status="ongoing", to_status="completed", reason="scheduled"
    )


def test_transition_loses_to_a_manual_cancel(as_, trip, bob, events):
    plan = make_plan(bob, group=trip, start=timezone.now() - timedelta(minutes=1))
    as_("bob").post(plan_url(plan, "/cancel"))

    started = plan_transition(
        plan_id=plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
    )

    assert started is False
    plan.refresh_from_db()
    assert plan.status == "cancelled"
    assert [e["to"] for e in status_events(events, plan)] == ["cancelled"]


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [("completed", "ongoing"), ("cancelled", "upcoming"), ("upcoming", "completed")],
)
def test_transition_outside_the_lifecycle_is_refused(trip_plan, from_status, to_status):
    with pytest.raises(Conflict) as info:
        plan_transition(
            plan_id=trip_plan.pk, from_status=from_status, to_status=to_status, reason="manual"
        )
    assert info.value.code == "invalid_transition"


def test_transition_of_a_deleted_plan_reports_false(trip_plan):
    Plan.objects.filter(pk=trip_plan.pk).delete()

    assert not plan_transition(
        plan_id=trip_plan.pk, from_status="upcoming", to_status="ongoing", reason="manual"
    )
