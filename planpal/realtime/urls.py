"""Realtime API routes."""

from django.urls import path

from planpal.realtime.api import TicketApi

urlpatterns = [path("realtime/ticket", TicketApi.as_view(), name="realtime-ticket")]
