"""Admin: checklists and items are read-only here (every change emits its event; writes go
through planpal.checklists.services)."""

from django.contrib import admin

from planpal.checklists.models import Checklist, Item
from planpal.core.admin import ReadOnlyAdmin


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "plan", "owner", "version"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "owner", "created_by"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "text", "checklist", "assignee", "due_at", "done_at", "version"]
    search_fields = ["text"]
    raw_id_fields = ["checklist", "assignee", "done_by", "created_by"]
