"""Reading feeds back the way calendar apps do: through two independent parsers."""

import icalendar
import vobject

FEED_URL = "/api/v1/calendar/feed"


def feed_url(client, plan=None) -> str:
    """The path of the caller's feed (all plans, or one plan's), as the API hands it out."""
    answer = client.get(FEED_URL, {"plan": plan.pk} if plan else {})
    assert answer.status_code == 200, answer.content
    return answer.json()["url"].removeprefix("http://testserver")


def fetch(anon, path: str) -> bytes:
    answer = anon.get(path)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    return answer.content


def events_by_uid(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def vobject_events(body: bytes) -> dict[str, object]:
    calendar = vobject.readOne(body.decode())
    return {event.uid.value: event for event in getattr(calendar, "vevent_list", [])}
