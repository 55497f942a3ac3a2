"""The plan topic's event log: names, payloads, gap-free seqs, nothing from rolled-back writes,
and events that are enough to keep a client's copy of a plan in sync without refetching."""

import pytest
from django.db import transaction
from pydantic import ValidationError

from planpal.core.events import EVENT_TYPES, EVERYONE, revoked_by
from planpal.plans import events as plan_events
from planpal.plans import services
from planpal.plans.models import Plan
from planpal.realtime.models import Event
from tests.plans.factories import activity_url, at, iso, make_activity, plan_topic, plan_url

# ---------------------------------------------------------------------------- sync by events


def apply(snapshot: dict, name: str, data: dict) -> None:
    """What a client does with each event of plan:<id> to its copy of GET plans/{id}."""
    activities = snapshot["activities"]
    if name == "plan.updated":
        snapshot.update(data)
    elif name == "plan.status_changed":
        snapshot.update(
            status=data["to"],
            status_changed_at=data["status_changed_at"],
            updated_at=data["status_changed_at"],
            version=data["version"],
        )
    elif name == "plan.activity_created":
        activities.append(data)
    elif name in ("plan.activity_updated", "plan.activity_completed", "plan.activity_reopened"):
        index = next(i for i, a in enumerate(activities) if a["id"] == data["id"])
        activities[index] = data
    elif name == "plan.activity_deleted":
        activities[:] = [a for a in activities if a["id"] != data["activity_id"]]
    elif name == "plan.activity_reordered":
        for activity in activities:
            activity["position"] = data["order"].index(activity["id"])
            activity["version"] = data["versions"][str(activity["id"])]
    elif name == "plan.member_joined":
        snapshot["participants"].append(data["user"])
    elif name == "plan.member_left":
        snapshot["participants"] = [
            u for u in snapshot["participants"] if u["id"] != data["user_id"]
        ]
    else:
        raise AssertionError(f"unexpected event {name}")
    activities.sort(key=lambda a: (a["position"], a["starts_at"], a["id"]))
    snapshot["activity_count"] = len(activities)


def test_events_keep_a_stale_copy_in_sync(as_, personal_plan, alice, bob, carol, events):
    """Like Zulip's verify_action: apply the events since a snapshot's stream position to that
    snapshot and compare with a fresh fetch."""
    stale = as_("bob").get(plan_url(personal_plan)).json()
    since = stale["stream"]["seq"]

    first = make_activity(bob, personal_plan, start_hour=1, lat="38.7", lng="-9.1")
    second = make_activity(alice, personal_plan, start_hour=4, estimated_cost="12.5")
    services.plan_update(actor=alice, plan_id=personal_plan.pk, version=1, title="Porto & Gaia")
    services.activity_update(
        actor=bob, activity_id=first.pk, version=1, notes="Bring water", currency="eur"
    )
    services.activity_complete(actor=bob, activity_id=first.pk)
    services.activities_reorder(actor=alice, plan_id=personal_plan.pk, order=[second.pk, first.pk])
    services.activity_reopen(actor=alice, activity_id=first.pk)
    services.plan_participant_add(actor=alice, plan_id=personal_plan.pk, user_id=carol.pk)
    third = make_activity(carol, personal_plan, start_hour=8)
    services.activity_delete(actor=alice, activity_id=third.pk)
    services.plan_start(actor=alice, plan_id=personal_plan.pk)
    services.plan_participant_remove(actor=carol, plan_id=personal_plan.pk, user_id=carol.pk)

    for seq, name, data in events(plan_topic(personal_plan)):
        if seq > since:
            apply(stale, name, data)
    fresh = as_("bob").get(plan_url(personal_plan)).json()

    assert fresh["stream"]["seq"] == since + 12
    for body in (stale, fresh):
        del body["stream"]
    assert stale == fresh


def test_seqs_are_gap_free_and_names_as_documented(as_, trip_plan, bob, events):
    activity = make_activity(bob, trip_plan, start_hour=1)
    as_("bob").patch(plan_url(trip_plan), {"title": "Lisboa", "version": 1}, format="json")
    as_("bob").patch(activity_url(activity), {"title": "x", "version": 1}, format="json")
    as_("bob").post(activity_url(activity, "/complete"))
    as_("bob").post(activity_url(activity, "/reopen"))
    second = make_activity(bob, trip_plan, start_hour=5)
    as_("bob").post(
        plan_url(trip_plan, "/activities/reorder"),
        {"order": [second.pk, activity.pk]},
        format="json",
    )
    as_("bob").delete(activity_url(second))
    as_("bob").post(plan_url(trip_plan, "/start"))
    as_("bob").post(plan_url(trip_plan, "/complete"))
    as_("bob").delete(plan_url(trip_plan))

    log = events(plan_topic(trip_plan))

    assert [seq for seq, _, _ in log] == list(range(1, len(log) + 1))
    assert [name for _, name, _ in log] == [
        "plan.created",
        "plan.activity_created",
        "plan.updated",
        "plan.activity_updated",
        "plan.activity_completed",
        "plan.activity_reopened",
        "plan.activity_created",
        "plan.activity_reordered",
        "plan.activity_deleted",
        "plan.status_changed",
        "plan.status_changed",
        "plan.deleted",
    ]
    actors = set(
        Event.objects.filter(topic=plan_topic(trip_plan)).values_list("actor_id", flat=True)
    )
    assert actors == {bob.pk}


def test_plan_created_carries_the_plan(trip_plan, bob, events):
    [(_, _, payload)] = events(plan_topic(trip_plan))

    assert payload == {
        "id": trip_plan.pk,
        "title": "Lisbon",
        "description": "",
        "group": trip_plan.group_id,
        "creator": {"id": bob.pk, "username": "bob", "display_name": "Bob", "avatar_url": ""},
        "participants": [],
        "start_at": iso(trip_plan.start_at),
        "end_at": iso(trip_plan.end_at),
        "timezone": "Europe/Lisbon",
        "status": "upcoming",
        "status_changed_at": None,
        "version": 1,
        "created_at": iso(trip_plan.created_at),
        "updated_at": iso(trip_plan.updated_at),
    }


# ---------------------------------------------------------------------------- rollback


def test_a_rolled_back_write_leaves_no_event(trip_plan, bob, events):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.plan_update(actor=bob, plan_id=trip_plan.pk, version=1, title="Never")
        make_activity(bob, trip_plan, start_hour=1)
        raise Abort

    assert [name for _, name, _ in events(plan_topic(trip_plan))] == ["plan.created"]
    trip_plan.refresh_from_db()
    assert (trip_plan.title, trip_plan.version) == ("Lisbon", 1)
    # The next event still gets seq 2: the rolled-back ones did not use up numbers.
    make_activity(bob, trip_plan, start_hour=1)
    assert [seq for seq, _, _ in events(plan_topic(trip_plan))] == [1, 2]


def test_a_refused_write_leaves_no_event(trip_plan, bob, events):
    make_activity(bob, trip_plan, start_hour=1)

    with pytest.raises(Exception, match="Overlaps"):
        make_activity(bob, trip_plan, start_hour=2)

    assert len(events(plan_topic(trip_plan))) == 2


def test_plan_create_in_a_failing_transaction_leaves_nothing(trip, bob):
    with pytest.raises(RuntimeError), transaction.atomic():
        from tests.plans.factories import make_plan

        make_plan(bob, group=trip)
        raise RuntimeError

    assert not Plan.objects.exists()
    assert not Event.objects.exists()


# ---------------------------------------------------------------------------- event types


def test_event_names_are_registered():
    names = {
        "plan.created",
        "plan.updated",
        "plan.deleted",
        "plan.status_changed",
        "plan.member_joined",
        "plan.member_left",
        "plan.activity_created",
        "plan.activity_updated",
        "plan.activity_completed",
        "plan.activity_reopened",
        "plan.activity_deleted",
        "plan.activity_reordered",
    }
    assert names <= set(EVENT_TYPES)
    assert all(EVENT_TYPES[name].__module__ == "planpal.plans.events" for name in names)


def test_status_changed_serialises_from_under_its_json_name():
    event = plan_events.PlanStatusChanged(
        plan_id=1,
        from_status="upcoming",
        to="ongoing",
        reason="scheduled",
        status_changed_at="2026-12-01T08:00:00Z",
        version=2,
    )

    assert event.data()["from"] == "upcoming"
    assert "from_status" not in event.data()


def test_member_joined_takes_the_public_user_dict_the_groups_app_sends():
    user = {"id": 7, "username": "eve", "display_name": "Eve", "avatar_url": ""}

    assert plan_events.PlanMemberJoined(plan_id=1, user=user).data() == {"plan_id": 1, "user": user}
    with pytest.raises(ValidationError):
        plan_events.PlanMemberJoined(plan_id=1, user={**user, "email": "eve@example.com"})


def test_undeclared_payload_fields_are_bugs():
    with pytest.raises(ValidationError):
        plan_events.PlanMemberLeft(plan_id=1, user_id=2, reason="left")


def test_leaving_and_deletion_end_live_subscriptions_of_the_plan_topic_only():
    assert revoked_by("plan.member_left", {"plan_id": 1, "user_id": 9}, "plan:1") == "9"
    assert revoked_by("plan.deleted", {"plan_id": 1}, "plan:1") == EVERYONE
    assert revoked_by("plan.member_joined", {"plan_id": 1, "user": {}}, "plan:1") == ""
    # The copy on the group's topic (for live plan lists) takes nobody's group away.
    assert revoked_by("plan.deleted", {"plan_id": 1}, "group:3") == ""


def test_scheduled_transition_event_has_no_actor(trip_plan, bob):
    from datetime import timedelta

    from django.utils import timezone

    Plan.objects.filter(pk=trip_plan.pk).update(start_at=timezone.now() - timedelta(seconds=1))
    services.plan_transition(
        plan_id=trip_plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
    )

    row = Event.objects.get(topic=plan_topic(trip_plan), name="plan.status_changed")
    assert row.actor_id is None
    assert row.payload["reason"] == "scheduled"


def test_activity_payload_matches_rest_for_odd_decimals(as_, trip_plan, bob, events):
    activity, _ = services.activity_create(
        actor=bob,
        plan_id=trip_plan.pk,
        title="Ferry",
        starts_at=at(trip_plan, 1),
        ends_at=at(trip_plan, 2),
        lat=38.7,
        lng=-9,
        estimated_cost=5,
        currency="eur",
    )

    rest = as_("bob").get(activity_url(activity)).json()

    assert events(plan_topic(trip_plan))[-1][2] == rest
    assert (rest["lat"], rest["lng"], rest["estimated_cost"], rest["currency"]) == (
        "38.700000",
        "-9.000000",
        "5.00",
        "EUR",
    )


def test_deleting_a_plan_is_announced_where_the_plan_list_follows(trip_plan, trip, bob, events):
    from planpal.plans import services as plan_services

    plan_services.plan_delete(actor=bob, plan_id=trip_plan.pk)
    group_log = [(name, payload) for _, name, payload in events(f"group:{trip.pk}")]
    assert ("plan.deleted", {"plan_id": trip_plan.pk}) in group_log
