"""Plans and activities as iCalendar (RFC 5545) text, built with the `icalendar` library.

Times are written in the plan's zone (`DTSTART;TZID=…`) with a VTIMEZONE for every zone used,
so a calendar shows a 09:00 breakfast in Lisbon at 09:00 Lisbon time on either side of a DST
change. SEQUENCE comes from the stored version counters, never from a clock: it only grows, and
the same state always gives the same number. A cancelled plan's events stay in the feed with
STATUS:CANCELLED, which is how a subscribed calendar learns to strike them out."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from planpal.core.validation import zone
from planpal.plans.models import Activity, Plan

PRODID = "-//PlanPal//Trip calendar//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _local(moment: datetime, plan: Plan) -> datetime:
    return moment.astimezone(zone(plan.timezone))


def _status(plan: Plan) -> str:
    return "CANCELLED" if plan.status == Plan.Status.CANCELLED else "CONFIRMED"


def _common(event: Event, *, uid: str, title: str, start, end, changed, created, plan) -> None:
    event.add("uid", uid)
    event.add("summary", title)
    event.add("dtstart", _local(start, plan))
    event.add("dtend", _local(end, plan))
    # DTSTAMP/LAST-MODIFIED are the row's last change: the same state gives the same bytes.
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("created", created)
    event.add("status", _status(plan))


def plan_event(plan: Plan, *, base: str) -> Event:
    """The trip itself, from its first to its last moment."""
    event = Event()
    _common(
        event,
        uid=f"plan-{plan.pk}@{urlsplit(base).hostname}",
        title=plan.title,
        start=plan.start_at,
        end=plan.end_at,
        changed=plan.updated_at,
        created=plan.created_at,
        plan=plan,
    )
    event.add("sequence", plan.version - 1)
    if plan.description:
        event.add("description", plan.description)
    event.add("url", f"{base}/#/plans/{plan.pk}")
    return event


def activity_event(activity: Activity, plan: Plan, *, base: str) -> Event:
    """One activity. Its SEQUENCE grows with its own edits and with its plan's (a cancelled or
    re-zoned plan changes how the activity reads, and both counters only grow)."""
    event = Event()
    _common(
        event,
        uid=f"activity-{activity.pk}@{urlsplit(base).hostname}",
        title=activity.title,
        start=activity.starts_at,
        end=activity.ends_at,
        changed=max(activity.updated_at, plan.updated_at),
        created=activity.created_at,
        plan=plan,
    )
    event.add("sequence", (plan.version - 1) + (activity.version - 1))
    location = ", ".join(
        part for part in (activity.location_name, activity.location_address) if part
    )
    if location:
        event.add("location", location)
    if activity.lat is not None and activity.lng is not None:
        event.add("geo", (float(activity.lat), float(activity.lng)))
    if activity.notes:
        event.add("description", activity.notes)
    event.add("categories", [activity.kind.upper()])
    event.add("related-to", f"plan-{plan.pk}@{urlsplit(base).hostname}")
    event.add("url", f"{base}/#/plans/{plan.pk}")
    return event


def _finish(calendar: Calendar, spans: Iterable[tuple[datetime, datetime]]) -> bytes:
    """Add the VTIMEZONEs of the zones used, covering only the span of the events (a zone's
    whole history would be kilobytes of RDATEs per zone)."""
    spans = list(spans)
    if spans:
        first = min(start for start, _ in spans).date() - timedelta(days=1)
        last = max(end for _, end in spans).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def feed(plans: Iterable[Plan], *, name: str, base: str) -> bytes:
    """A feed: one VEVENT per plan and one per activity (`plan.activities` prefetched)."""
    calendar = _calendar(name)
    spans = []
    for plan in plans:
        calendar.add_component(plan_event(plan, base=base))
        spans.append((plan.start_at, plan.end_at))
        for activity in plan.activities.all():
            calendar.add_component(activity_event(activity, plan, base=base))
            spans.append((activity.starts_at, activity.ends_at))
    return _finish(calendar, spans)


def one_activity(activity: Activity, *, base: str) -> bytes:
    """An "add to calendar" file: the same VEVENT (same UID) as in the feeds."""
    calendar = _calendar(activity.title)
    calendar.add_component(activity_event(activity, activity.plan, base=base))
    return _finish(calendar, [(activity.starts_at, activity.ends_at)])
