"""Notification REST views: the inbox, read markers, push devices, preferences."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core import apicache
from planpal.core.api import validated
from planpal.core.events import topic_for
from planpal.core.pagination import NewestFirstCursorPagination
from planpal.notifications import selectors, services
from planpal.notifications.models import Notification
from planpal.notifications.serializers import (
    DeviceOutputSerializer,
    DeviceRegisterInputSerializer,
    DeviceUnregisterInputSerializer,
    NotificationListQuerySerializer,
    NotificationOutputSerializer,
    PreferencesSerializer,
    ReadAllOutputSerializer,
    UnreadCountOutputSerializer,
)
from planpal.realtime.selectors import stream_position


class NotificationListApi(GenericAPIView):
    queryset = Notification.objects.none()
    serializer_class = NotificationOutputSerializer
    pagination_class = NewestFirstCursorPagination

    @extend_schema(
        summary="My notifications, newest first (cursor pagination)",
        parameters=[
            OpenApiParameter("unread", bool, description="Only unread ones (default false)."),
        ],
        responses=NotificationOutputSerializer(many=True),
    )
    def get(self, request):
        query = validated(NotificationListQuerySerializer, request.query_params)
        notifications = selectors.notifications_for_user(
            user=request.user, unread_only=query["unread"]
        )
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationOutputSerializer(page, many=True).data)


class NotificationUnreadCountApi(APIView):
    @extend_schema(
        summary="How many notifications are unread; `stream` is the topic that keeps it current",
        responses=UnreadCountOutputSerializer,
    )
    def get(self, request):
        stream = stream_position(topic_for("user", request.user.pk))
        # Cached under the user topic's head: notification.created/read move it.
        count = apicache.fetch(
            "unread",
            stream["topic"],
            stream["seq"],
            lambda: {"count": selectors.unread_notification_count(user=request.user)},
        )["count"]
        return Response(UnreadCountOutputSerializer({"count": count, "stream": stream}).data)


class NotificationReadApi(APIView):
    @extend_schema(
        summary="Mark one notification read (on every device)",
        request=None,
        responses=NotificationOutputSerializer,
    )
    def post(self, request, notification_id: int):
        notification = services.notification_mark_read(
            actor=request.user, notification_id=notification_id
        )
        return Response(NotificationOutputSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(
        summary="Mark all my notifications read", request=None, responses=ReadAllOutputSerializer
    )
    def post(self, request):
        ids = services.notifications_mark_all_read(actor=request.user)
        return Response(ReadAllOutputSerializer({"count": len(ids), "ids": ids}).data)


class DeviceListApi(APIView):
    @extend_schema(summary="My push devices", responses=DeviceOutputSerializer(many=True))
    def get(self, request):
        devices = selectors.devices_for_user(user=request.user)
        return Response(DeviceOutputSerializer(devices, many=True).data)

    @extend_schema(
        summary="Register this device's push token (moves it here if another account had it)",
        request=DeviceRegisterInputSerializer,
        responses={201: DeviceOutputSerializer, 200: DeviceOutputSerializer},
    )
    def post(self, request):
        payload = validated(DeviceRegisterInputSerializer, request.data)
        device, created = services.device_register(actor=request.user, **payload)
        return Response(DeviceOutputSerializer(device).data, 201 if created else 200)

    @extend_schema(
        summary="Unregister one of my devices by token (JSON body {token})",
        request=DeviceUnregisterInputSerializer,
        responses={204: None},
    )
    def delete(self, request):
        payload = validated(DeviceUnregisterInputSerializer, request.data)
        services.device_unregister(actor=request.user, token=payload["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceDetailApi(APIView):
    @extend_schema(
        summary="Unregister one of my devices by id",
        operation_id="v1_devices_destroy_by_id",
        responses={204: None},
    )
    def delete(self, request, device_id: int):
        services.device_unregister(actor=request.user, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationPreferencesApi(APIView):
    @extend_schema(summary="My notification preferences", responses=PreferencesSerializer)
    def get(self, request):
        preferences = selectors.preferences_get(user=request.user)
        return Response(PreferencesSerializer(preferences).data)

    @extend_schema(
        summary="Change my notification preferences (fields sent replace; omitted ones stay)",
        request=PreferencesSerializer,
        responses=PreferencesSerializer,
    )
    def put(self, request):
        payload = validated(PreferencesSerializer, request.data)
        preferences = services.preferences_update(actor=request.user, **payload)
        return Response(PreferencesSerializer(preferences).data)

    @extend_schema(
        summary="Change some notification preferences",
        request=PreferencesSerializer,
        responses=PreferencesSerializer,
    )
    def patch(self, request):
        return self.put(request)
