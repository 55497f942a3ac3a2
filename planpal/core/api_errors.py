"""One error shape for the whole API: {"error": {"code", "message", "fields"}}."""

import logging
from typing import Any, overload

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from planpal.core.db import is_database_unavailable
from planpal.core.exceptions import DomainError, VersionConflict

log = logging.getLogger(__name__)

# Seconds a client should wait before retrying while the database is unreachable (Retry-After).
DATABASE_RETRY_AFTER_SECONDS = 5


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def _flatten_fields(detail: object) -> dict[str, list[str]]:
    """DRF validation details → {"field": ["message", ...]} with nested paths dotted."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, sub in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            items = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", detail)
    return fields


def _from_drf(exc: drf.APIException) -> tuple[str, str, dict[str, list[str]]]:
    if isinstance(exc, drf.ValidationError):
        fields = _flatten_fields(exc.detail)
        message = _("Some fields are invalid.")
        if list(fields) == ["non_field_errors"]:
            message = fields["non_field_errors"][0]
        return "invalid", message, fields
    detail, codes = exc.detail, exc.get_codes()
    if isinstance(detail, dict):  # e.g. simplejwt: {"detail": ..., "code": ..., "messages": [...]}
        detail_code = codes.get("detail") if isinstance(codes, dict) else None
        code = detail.get("code") or detail_code or exc.default_code
        return str(code), str(detail.get("detail", exc.default_detail)), {}
    code = codes if isinstance(codes, str) else exc.default_code
    return str(code), str(detail), {}


@overload
def database_unavailable_response() -> Response: ...


@overload
def database_unavailable_response(response_class: type[JsonResponse]) -> JsonResponse: ...


def database_unavailable_response(
    response_class: type[Response] | type[JsonResponse] = Response,
) -> Response | JsonResponse:
    """503 for a request the database could not serve: nothing was written (the transaction
    rolled back with the connection), so the client may simply retry. A DRF Response for API
    views, a JsonResponse (`response_class=JsonResponse`) for everything else."""
    body = error_body("database_unavailable", _("The database is unavailable; retry shortly."))
    response = response_class(body, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, OperationalError | InterfaceError) and is_database_unavailable(exc):
        log.warning("database unavailable: %s", exc)
        return database_unavailable_response()
    if isinstance(exc, DomainError):
        extra = {"current": exc.current} if isinstance(exc, VersionConflict) else {}
        body = error_body(exc.code, str(exc.message), exc.fields, **extra)
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, drf.APIException):
        return response  # DRF answers only its own exceptions (the ones converted above)
    code, message, fields = _from_drf(exc)
    response.data = error_body(code, message, fields)
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def json_server_error(request: HttpRequest) -> HttpResponse:
    return JsonResponse(error_body("server_error", _("Internal server error.")), status=500)


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return JsonResponse(error_body("bad_request", _("Bad request.")), status=400)
