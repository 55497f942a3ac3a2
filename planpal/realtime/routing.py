"""WebSocket routes."""

from django.urls import path

from planpal.realtime.consumer import RealtimeConsumer

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi())]
