"""The one-off "add to calendar" file of an activity (issue 18)."""

from tests.calendars.helpers import events_by_uid, feed_url, fetch, vobject_events


def test_a_member_downloads_the_same_event_as_in_the_feed(as_, anon, trip_plan):
    tram = trip_plan.activities.get(title="Tram 28")

    answer = as_("alice").get(f"/api/v1/activities/{tram.pk}/calendar.ics")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="tram-28.ics"'
    uid = f"activity-{tram.pk}@testserver"
    assert list(events_by_uid(answer.content)) == [uid]
    assert list(vobject_events(answer.content)) == [uid]
    in_feed = events_by_uid(fetch(anon, feed_url(as_("alice"))))[uid]
    assert events_by_uid(answer.content)[uid].to_ical() == in_feed.to_ical()


def test_others_get_404(as_, anon, trip_plan):
    tram = trip_plan.activities.get(title="Tram 28")
    assert as_("dave").get(f"/api/v1/activities/{tram.pk}/calendar.ics").status_code == 404
    assert as_("dave").get("/api/v1/activities/999999/calendar.ics").status_code == 404
    assert anon.get(f"/api/v1/activities/{tram.pk}/calendar.ics").status_code in (401, 403)
