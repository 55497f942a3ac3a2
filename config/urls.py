"""URL map: the REST API under /api/v1/, its schema and docs, the admin."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from planpal.files.urls import public_urlpatterns as file_urlpatterns
from planpal.ops.health import LiveApi, ReadyApi, metrics_view

api_v1: list[URLPattern | URLResolver] = [
    path("health/live", LiveApi.as_view(), name="health-live"),
    path("health/ready", ReadyApi.as_view(), name="health-ready"),
    path("", include("planpal.accounts.urls")),
    path("", include("planpal.groups.urls")),
    path("", include("planpal.plans.urls")),
    path("", include("planpal.chat.urls")),
    path("", include("planpal.notifications.urls")),
    path("", include("planpal.webhooks.urls")),
    path("", include("planpal.realtime.urls")),
    path("", include("planpal.files.urls")),
    path("", include("planpal.polls.urls")),
    path("", include("planpal.money.urls")),
    path("", include("planpal.checklists.urls")),
    path("", include("planpal.calendars.urls")),
    path("", include("planpal.places.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own (CSP: no inline script);
    # the template links a stylesheet instead of the inline style element.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="planpal/swagger_ui.html"
        ),
        name="docs",
    ),
    path("admin/", admin.site.urls),
    path("metrics", metrics_view, name="metrics"),
    *file_urlpatterns,
    path("", include("planpal.web.urls")),
]

handler400 = "planpal.core.api_errors.json_bad_request"
handler404 = "planpal.core.api_errors.json_not_found"
handler500 = "planpal.core.api_errors.json_server_error"
