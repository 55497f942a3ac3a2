"""notifications API routes."""

from django.urls import path

from planpal.notifications import api

urlpatterns = [
    path("notifications", api.NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/unread-count",
        api.NotificationUnreadCountApi.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/read-all", api.NotificationReadAllApi.as_view(), name="notification-read-all"
    ),
    path(
        "notifications/<int:notification_id>/read",
        api.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path("devices", api.DeviceListApi.as_view(), name="device-list"),
    path("devices/<int:device_id>", api.DeviceDetailApi.as_view(), name="device-detail"),
    path(
        "notification-preferences",
        api.NotificationPreferencesApi.as_view(),
        name="notification-preferences",
    ),
]
