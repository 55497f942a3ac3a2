"""Absolute links PlanPal hands out (invite links): their base is PUBLIC_URL, or the scheme and
host of the request that asks when it is unset, so a server on any port gives links that open."""

from django.conf import settings
from django.http import HttpRequest


def public_base(request: HttpRequest) -> str:
    """`https://host[:port]` without a trailing slash. The request's host has passed Django's
    ALLOWED_HOSTS check (get_host), so a forged Host header cannot point a link elsewhere."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    return f"{request.scheme}://{request.get_host()}"
