"""Calendar feeds in the admin: browse only (secrets hidden); users rotate their own URLs."""

from django.contrib import admin

from planpal.calendars.models import CalendarFeed
from planpal.core.admin import ReadOnlyAdmin


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "scope", "rotated_at", "created_at")
    exclude = ("secret", "token_hash")
    raw_id_fields = ("user", "plan")
