"""Admin: plans and activities are read-only here, because every change to them must emit its
event; writes go through planpal.plans.services."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.plans.models import Activity, Plan


class ActivityInline(admin.TabularInline):
    model = Activity
    readonly_fields = (
        "position",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "completed_at",
        "version",
    )
    fields = readonly_fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "group", "creator", "status", "start_at", "end_at", "version"]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = "start_at"
    list_select_related = ["group", "creator"]
    raw_id_fields = ["group", "creator", "participants"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "title",
        "plan",
        "kind",
        "starts_at",
        "ends_at",
        "completed_at",
        "version",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "location_name"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "completed_by", "created_by"]
