"""Webhooks in the admin: browsing only (writes go through the services and the API). Secrets
are never shown."""

from django.contrib import admin

from planpal.core.admin import ReadOnlyAdmin
from planpal.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("id", "group", "url", "active", "disabled_at", "created_at")
    list_filter = ("active",)
    list_select_related = ("group",)
    search_fields = ("url", "group__name")
    exclude = ("secret", "previous_secret")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "status_code", "error", "latency_ms", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "endpoint", "event_name", "topic", "seq", "status", "attempts")
    list_filter = ("status",)
    raw_id_fields = ("endpoint", "redelivery_of")
    search_fields = ("event_id", "topic")
    inlines = [WebhookAttemptInline]
