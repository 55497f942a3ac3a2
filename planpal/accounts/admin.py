"""Admin for users and friendships. Friendships change through services only (they emit events),
so they are read-only here; users may be edited, but not deleted (deactivate them instead)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from planpal.accounts.models import Friendship, User
from planpal.accounts.services import user_deactivate
from planpal.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ("display_name", "avatar_url", "timezone")}),
    )
    list_display = ("username", "display_name", "email", "is_active", "is_staff", "date_joined")
    search_fields = ("username", "display_name", "email")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Through the service: what ran on the account's authority stops too.
            user_deactivate(user=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would drop memberships and friendships without their events; deactivate instead.
        return False


@admin.register(Friendship)
class FriendshipAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "user_low",
        "user_high",
        "status",
        "requested_by",
        "blocked_by",
        "updated_at",
    )
    list_filter = ("status",)
    search_fields = ("user_low__username", "user_high__username")
    raw_id_fields = ("user_low", "user_high", "requested_by", "blocked_by")
