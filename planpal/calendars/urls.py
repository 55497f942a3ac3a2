"""calendars API routes (included under /api/v1/)."""

from django.urls import path, re_path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.calendars import api

urlpatterns = [
    path("calendar/feed", api.CalendarFeedApi.as_view(), name="calendar-feed"),
    path("calendar/feed/rotate", api.CalendarFeedRotateApi.as_view(), name="calendar-feed-rotate"),
    re_path(
        r"^calendar/(?P<token>[^/]{1,128})\.ics$",
        api.CalendarFeedIcsApi.as_view(),
        name="calendar-feed-ics",
    ),
    path(
        "activities/<id:activity_id>/calendar.ics",
        api.ActivityCalendarApi.as_view(),
        name="activity-calendar",
    ),
]
