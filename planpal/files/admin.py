"""Uploads in the admin: browse only; they change through the files services."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.files.models import Upload


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ("id", "owner", "kind", "content_type", "size", "attached_to", "created_at")
    list_filter = ("kind", "attached_to")
    raw_id_fields = ("owner",)
