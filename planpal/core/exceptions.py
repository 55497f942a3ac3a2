"""Domain errors raised by services and selectors; the API layer maps each to one HTTP status."""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every error a service raises on purpose. `code` is the stable machine name."""

    status_code = 400
    code = "invalid"
    default_message: Any = _("The request is invalid.")  # lazy: in the language of the request

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields: dict[str, list[str]] = fields or {}
        super().__init__(self.message)


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule (end before start, overlap, ...)."""


class NotFound(DomainError):
    """The object does not exist *or* the actor may not know it exists (no leak of ids)."""

    status_code = 404
    code = "not_found"
    default_message: Any = _("Not found.")


class Forbidden(DomainError):
    """The actor can see the object but may not do this to it."""

    status_code = 403
    code = "forbidden"
    default_message: Any = _("You are not allowed to do this.")


class Conflict(DomainError):
    """The object is in a state that forbids the action (plan already completed, ...)."""

    status_code = 409
    code = "conflict"
    default_message: Any = _("The request conflicts with the current state.")


class VersionConflict(Conflict):
    """Optimistic concurrency: the client wrote over a stale `version`; carries current state."""

    code = "version_conflict"
    default_message: Any = _("This was changed by someone else; here is the current version.")

    def __init__(self, instance: Any, message: str | None = None) -> None:
        super().__init__(message)
        self.instance = instance
        # Filled in by the API layer (planpal.core.api.conflicts_show) with the serialised object.
        self.current: dict[str, Any] | None = None


class PayloadTooLarge(DomainError):
    """More bytes than a limit allows (a file over UPLOAD_MAX_MB, an upload over the quota)."""

    status_code = 413
    code = "too_large"
    default_message: Any = _("This is too large.")


class UnsupportedMediaType(DomainError):
    """Content of a kind the endpoint does not take (judged by its bytes, not its name)."""

    status_code = 415
    code = "unsupported_media_type"
    default_message: Any = _("This kind of content is not accepted.")
