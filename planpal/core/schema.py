"""The OpenAPI schema's shared parts: the project's authentication classes, and the one error
shape documented on every operation for each status the API layer can answer it with."""

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from planpal.core.authentication import SessionAuthentication

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class JWTScheme(SimpleJWTScheme):
    target_class = "planpal.core.authentication.JWTAuthentication"


class CookieScheme(SessionScheme):
    target_class = "planpal.core.authentication.SessionAuthentication"


class ErrorDetailSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Stable machine name: invalid, not_found, ...")
    message = serializers.CharField()
    # The JSON key is "fields"; DRF's metaclass moves declared fields out of the class, so the
    # field does not hide Serializer.fields, but the stubs cannot know.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per invalid input field (dotted paths for nested ones).",
    )
    current = serializers.DictField(
        required=False, help_text="version_conflict only: the object as it is now."
    )


class ErrorSerializer(serializers.Serializer[Any]):
    """`{"error": {"code", "message", "fields"}}` (planpal.core.api_errors)."""

    error = ErrorDetailSerializer()


# A view documents the conflicts its service can raise: responses={..., 409: CONFLICT}. Error
# statuses a view documents without a body get the error shape (AutoSchema below).
CONFLICT = OpenApiResponse(description="The object's state forbids this.")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Used as client_id when the body has none: a retry returns what the first "
    "request created (200) instead of creating it again.",
)


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's AutoSchema, plus the error answers every operation can give."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error = {
            "application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}
        }
        responses = operation["responses"]
        for status, description in self._error_statuses(operation).items():
            documented = responses.get(status, {})
            if "content" not in documented:
                documented = {"description": documented.get("description") or description}
                responses[status] = {**documented, "content": error}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_statuses(self, operation: dict[str, Any]) -> dict[str, str]:
        parameters = operation.get("parameters", [])
        authenticators = self.view.get_authenticators()
        statuses = {}
        # A write's service may refuse its input (or its body may not be JSON) even when the
        # operation takes no documented body.
        if self.method in UNSAFE_METHODS or any(p["in"] != "path" for p in parameters):
            statuses["400"] = "Invalid input."
        if authenticators:
            statuses["401"] = "Missing, invalid or expired credentials."
        if self.method in UNSAFE_METHODS and (
            any(isinstance(a, SessionAuthentication) for a in authenticators)
        ):
            statuses["403"] = "Not allowed (or a session request without its CSRF token)."
        # A write may also name objects in its body (a plan's group, a message's reply_to).
        if self.method in UNSAFE_METHODS or any(
            p["in"] == "path" or p["name"] == "cursor" for p in parameters
        ):
            statuses["404"] = "Not found, or not visible to you (or an invalid cursor)."
        if self.method in UNSAFE_METHODS:
            # DRF parses any body a write sends, documented or not.
            statuses["415"] = "Unsupported Content-Type (send application/json)."
        if self.view.get_throttles():
            statuses["429"] = "Too many requests: retry after Retry-After seconds."
        return statuses
