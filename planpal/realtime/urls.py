"""Realtime API routes."""

from django.urls import path

from planpal.realtime.api import TicketView

urlpatterns = [path("realtime/ticket", TicketView.as_view(), name="realtime-ticket")]
