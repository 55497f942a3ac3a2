"""Calendar feeds (issue 18): what a subscribed calendar app reads, through two parsers."""

from datetime import timedelta

from django.utils import timezone

from planpal.groups import services as groups
from planpal.plans import services as plans
from tests.calendars.helpers import events_by_uid, feed_url, fetch, vobject_events


def test_the_feed_parses_with_icalendar_and_vobject(as_, anon, trip_plan):
    body = fetch(anon, feed_url(as_("bob")))

    events = events_by_uid(body)
    assert sorted(events) == sorted(
        [f"plan-{trip_plan.pk}@testserver"]
        + [f"activity-{a.pk}@testserver" for a in trip_plan.activities.all()]
    )
    tram = next(e for e in events.values() if e["SUMMARY"] == "Tram 28")
    assert tram["LOCATION"] == "Martim Moniz, Praça Martim Moniz, Lisboa"
    assert (tram["GEO"].latitude, tram["GEO"].longitude) == (38.7165, -9.136)
    assert tram["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert tram["STATUS"] == "CONFIRMED"
    assert "GEO" not in next(e for e in events.values() if e["SUMMARY"] == "Dinner")
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Lisbon" in body

    second = vobject_events(body)
    assert set(second) == set(events)
    for uid, event in second.items():
        assert event.dtstart.value == events[uid].decoded("DTSTART"), uid
        assert event.dtend.value == events[uid].decoded("DTEND"), uid
        assert event.summary.value == str(events[uid]["SUMMARY"])


def test_an_activity_edit_raises_its_sequence(as_, anon, trip_plan):
    path = feed_url(as_("bob"))
    dinner = trip_plan.activities.get(title="Dinner")
    uid = f"activity-{dinner.pk}@testserver"
    before = events_by_uid(fetch(anon, path))[uid]["SEQUENCE"]

    answer = as_("alice").patch(
        f"/api/v1/activities/{dinner.pk}",
        {"title": "Late dinner", "version": dinner.version},
        format="json",
    )
    assert answer.status_code == 200, answer.content

    after = events_by_uid(fetch(anon, path))[uid]
    assert after["SUMMARY"] == "Late dinner"
    assert after["SEQUENCE"] > before
    assert fetch(anon, path) == fetch(anon, path), "an unchanged plan gives the same bytes"


def test_cancelling_the_plan_cancels_every_event_with_a_higher_sequence(as_, anon, trip_plan):
    path = feed_url(as_("alice"))
    before = {uid: e["SEQUENCE"] for uid, e in events_by_uid(fetch(anon, path)).items()}

    assert as_("bob").post(f"/api/v1/plans/{trip_plan.pk}/cancel").status_code == 200

    after = events_by_uid(fetch(anon, path))
    assert set(after) == set(before)
    for uid, event in after.items():
        assert event["STATUS"] == "CANCELLED", uid
        assert event["SEQUENCE"] > before[uid], uid


def test_a_plan_edit_raises_the_trip_sequence(as_, anon, trip_plan):
    path = feed_url(as_("bob"), plan=trip_plan)
    uid = f"plan-{trip_plan.pk}@testserver"
    before = events_by_uid(fetch(anon, path))[uid]["SEQUENCE"]

    new_end = trip_plan.end_at + timedelta(days=1)
    answer = as_("bob").patch(
        f"/api/v1/plans/{trip_plan.pk}",
        {"end_at": new_end.isoformat(), "version": trip_plan.version},
        format="json",
    )
    assert answer.status_code == 200, answer.content

    trip = events_by_uid(fetch(anon, path))[uid]
    assert trip["SEQUENCE"] > before
    assert trip.decoded("DTEND") == new_end


def test_a_removed_member_no_longer_sees_the_plan(as_, anon, alice, bob, trip, trip_plan):
    own = plans.plan_create(
        actor=bob,
        title="Bob's own",
        start_at=trip_plan.start_at,
        end_at=trip_plan.start_at + timedelta(days=1),
    )
    everything, one_plan = feed_url(as_("bob")), feed_url(as_("bob"), plan=trip_plan)
    assert f"plan-{trip_plan.pk}@testserver" in events_by_uid(fetch(anon, everything))

    groups.member_remove(actor=alice, group_id=trip.pk, user_id=bob.pk)

    assert list(events_by_uid(fetch(anon, everything))) == [f"plan-{own.pk}@testserver"]
    assert events_by_uid(fetch(anon, one_plan)) == {}
    assert as_("bob").get("/api/v1/calendar/feed", {"plan": trip_plan.pk}).status_code == 404


def test_a_plan_feed_shows_that_plan_only(as_, anon, bob, trip_plan):
    plans.plan_create(
        actor=bob,
        title="Other",
        start_at=timezone.now() + timedelta(days=3),
        end_at=timezone.now() + timedelta(days=4),
    )
    events = events_by_uid(fetch(anon, feed_url(as_("bob"), plan=trip_plan)))
    assert len(events) == 3
    assert {str(e["RELATED-TO"]) for e in events.values() if "RELATED-TO" in e} == {
        f"plan-{trip_plan.pk}@testserver"
    }
