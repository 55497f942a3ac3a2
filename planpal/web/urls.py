"""Routes of the browser client: the app shell at /, its service worker (/sw.js) and manifest,
the invite links it opens (/invites/<token>) and the static files it loads."""

from django.conf import settings
from django.urls import path, re_path

from planpal.web import views

urlpatterns = [
    path("", views.index, name="web-index"),
    path("sw.js", views.service_worker, name="web-service-worker"),
    path("manifest.webmanifest", views.manifest, name="web-manifest"),
    path("invites/<str:token>", views.invite, name="web-invite"),
    re_path(rf"^{settings.STATIC_URL.strip('/')}/(?P<path>.+)$", views.static_file, name="static"),
]
