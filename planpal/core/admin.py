"""Admin pieces every app's admin.py shares."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For models whose changes emit events: browsing only, writes go through the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
