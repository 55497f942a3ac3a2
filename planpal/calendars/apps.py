from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "planpal.calendars"
    label = "calendars"
