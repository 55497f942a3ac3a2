"""Request middleware: a request id on every log line and response, HTTP metrics by route, and
one access-log line per request (uvicorn's own access log is off: it would log raw URLs)."""

import logging
import re
import secrets
import time
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse

from planpal.core import metrics
from planpal.core.api_errors import database_unavailable_response
from planpal.core.db import is_database_unavailable
from planpal.core.logging import bind

log = logging.getLogger("planpal.access")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the load balancer is kept if it looks like one; anything else is replaced.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


# Probes and scrapes arrive every few seconds: logged only when they fail.
QUIET_ROUTES = {"metrics", "api/v1/health/live", "api/v1/health/ready"}


def route_of(request: HttpRequest) -> str:
    """The URL pattern that matched ("api/v1/plans/<int:plan_id>"), never the raw path: paths
    carry ids (unbounded label values) and invite tokens (secrets)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)  # DRF copies its authenticated user here
    try:
        # A session user is lazy: reading it may be this request's first query, and during a
        # database outage that must not turn the response already made into a 500.
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:
        return None


GetResponse = Callable[[HttpRequest], HttpResponse]


class ObservabilityMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else secrets.token_hex(8)
        setattr(request, "request_id", request_id)  # noqa: B010 (not an HttpRequest attribute)
        bind(request_id=request_id, user_id=None, conn_id=None, topic=None)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request_id
        route = route_of(request)
        if route != "metrics":  # scrapes would drown the request counters
            metrics.http_requests.labels(request.method, route, response.status_code).inc()
            metrics.http_latency.labels(request.method, route).observe(elapsed)
        user_id = None if getattr(request, "log_unattributed", False) else _user_id(request)
        quiet = route in QUIET_ROUTES and response.status_code < 400
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %.1fms",
            request.method,
            route,
            response.status_code,
            elapsed * 1000,
            extra={
                "user_id": user_id,
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """Outside the API's own exception handler (web pages, admin, a session loaded by
    middleware): an unreachable database is a 503 with Retry-After too, not a 500."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            log.warning("database unavailable: %s", exception)
            return database_unavailable_response(JsonResponse)
        return None
