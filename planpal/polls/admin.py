"""Admin: polls are read-only here (every change must emit its event; writes go through
planpal.polls.services). Votes and day marks are listed without their voter: an anonymous
poll's voters are not shown anywhere, and the admin does not tell named and anonymous apart."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.polls.models import DayMark, Option, Poll, Vote


class OptionInline(admin.TabularInline):
    model = Option
    fields = ("position", "kind", "label", "first_day", "last_day")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["id", "question", "kind", "group", "plan", "anonymous", "closed_at", "version"]
    list_filter = ["kind", "anonymous"]
    search_fields = ["question"]
    raw_id_fields = ["group", "plan", "creator", "closed_by"]
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "poll", "position", "kind", "label"]
    raw_id_fields = ["poll"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["id", "poll", "option"]
    fields = readonly_fields = ("poll", "option", "created_at")
    raw_id_fields = ["poll", "option"]


@admin.register(DayMark)
class DayMarkAdmin(ReadOnlyAdmin):
    list_display = ["id", "poll", "day", "answer"]
    fields = readonly_fields = ("poll", "day", "answer")
    raw_id_fields = ["poll"]
