"""The browser client: one HTML shell, plain ES modules and CSS, no build step."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "planpal.web"
    label = "web"
    verbose_name = "Web client"
