"""Times in feeds stay the plan's wall-clock times across a DST change (issue 18)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from planpal.plans import services as plans
from tests.calendars.helpers import events_by_uid, feed_url, fetch, vobject_events

LISBON = ZoneInfo("Europe/Lisbon")


def next_dst_change(zone: ZoneInfo) -> datetime:
    """Noon of the first day, at least a week from now, whose UTC offset differs from the day
    before's (Lisbon's clocks change twice a year, so this is at most ~7 months away)."""
    day = (timezone.now() + timedelta(days=7)).astimezone(zone).date()
    while True:
        before = datetime.combine(day, time(12), zone)
        after = datetime.combine(day + timedelta(days=1), time(12), zone)
        if before.utcoffset() != after.utcoffset():
            return after
        day += timedelta(days=1)


def test_times_round_trip_in_the_plan_zone_across_a_dst_change(client_for, anon, bob):
    change_day = next_dst_change(LISBON)
    plan = plans.plan_create(
        actor=bob,
        title="Across the change",
        start_at=change_day - timedelta(days=3),
        end_at=change_day + timedelta(days=3),
        timezone="Europe/Lisbon",
    )
    breakfasts = {}
    for offset in (-2, 2):  # 09:00 Lisbon time, two days before and two days after the change
        starts = datetime.combine((change_day + timedelta(days=offset)).date(), time(9), LISBON)
        activity, _ = plans.activity_create(
            actor=bob,
            plan_id=plan.pk,
            title=f"Breakfast {offset}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        breakfasts[f"activity-{activity.pk}@testserver"] = starts
    first, second = breakfasts.values()
    assert first.utcoffset() != second.utcoffset(), "the two breakfasts straddle the change"

    body = fetch(anon, feed_url(client_for(bob)))
    by_icalendar, by_vobject = events_by_uid(body), vobject_events(body)
    own_rules = _vtimezone(body, "Europe/Lisbon")
    for uid, starts in breakfasts.items():
        for parsed in (by_icalendar[uid].decoded("DTSTART"), by_vobject[uid].dtstart.value):
            assert parsed == starts, "the same instant"
            assert parsed.utcoffset() == starts.utcoffset(), "and the same wall-clock time"
            assert (parsed.hour, parsed.minute) == (9, 0)
        assert by_icalendar[uid]["DTSTART"].params["TZID"] == "Europe/Lisbon"
        wall_clock = by_icalendar[uid]["DTSTART"].dt.replace(tzinfo=None)
        assert wall_clock.replace(tzinfo=own_rules) == starts, "the feed's VTIMEZONE agrees"


def _vtimezone(body: bytes, tzid: str):
    """The zone as the feed's own VTIMEZONE defines it (not looked up by name): what a calendar
    without a time zone database of its own goes by."""
    calendar = icalendar.Calendar.from_ical(body)
    (component,) = [tz for tz in calendar.walk("VTIMEZONE") if tz["TZID"] == tzid]
    return component.to_tz(lookup_tzid=False)
