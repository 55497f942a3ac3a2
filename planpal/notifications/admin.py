"""Notifications in the admin. Notifications and preferences produce events, so they are
read-only here (they change through planpal.notifications.services); devices may be switched
off by hand, which produces no event."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.notifications.models import Device, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "kind", "title", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("title", "user__username")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "platform", "active", "last_seen_at", "created_at")
    list_filter = ("platform", "active")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "platform", "token", "active", "created_at", "last_seen_at")
    readonly_fields = ("user", "platform", "token", "created_at", "last_seen_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # devices register themselves through the API


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "quiet_hours_start", "quiet_hours_end", "updated_at")
    raw_id_fields = ("user",)
