"""Admin for groups, memberships and invites: read-only, since their changes go through the
services (which emit the events live clients depend on)."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.groups.models import Group, Invite, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "owner", "created_at")
    search_fields = ("name", "owner__username")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("id", "group", "user", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("group__name", "user__username")


@admin.register(Invite)
class InviteAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "group",
        "token_prefix",
        "created_by",
        "expires_at",
        "uses",
        "max_uses",
        "revoked_at",
    )
    search_fields = ("group__name", "token_prefix")
    exclude = ("token_hash",)
