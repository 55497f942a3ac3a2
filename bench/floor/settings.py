"""The REST floor: Django's stock ASGI handler, no middleware, DRF views with simplejwt's
authentication and nothing else (no throttles, no API cache, no request logging or metrics),
running the same selectors, serializers and so the same queries as PlanPal's views. What a read
costs when nothing but Django, DRF and the queries run. Database connections are kept per
request thread as in PlanPal (the same `CONN_MAX_AGE` and request threads: bench/floor/asgi.py)."""

from config.settings import *  # noqa: F403 - the same database, apps, models and keys

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.floor.urls"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
