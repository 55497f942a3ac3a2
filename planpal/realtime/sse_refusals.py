"""The SSE stream's refusals (a 4xx/5xx JSON answer instead of a stream), in the API's error
shape and in the language of the request (docs/i18n.md): the profile's once the request is
authenticated, else the language cookie or Accept-Language, else English. Their texts are lazy,
written when the answer is: whoever raised one may not know the user yet."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.core.asgi_types import Scope
from planpal.core.i18n import Text, language_from_scope, supported
from planpal.realtime import admission
from planpal.realtime.admission import HandshakeRefused
from planpal.realtime.subscriptions import NotAdmitted

# An HTTP response header, as ASGI sends it.
Header = tuple[bytes, bytes]


@dataclass
class Refusal(HandshakeRefused):
    status: int
    code: str
    message: Text
    fields: dict[str, list[Text]] = field(default_factory=dict)
    headers: list[Header] = field(default_factory=list)

    @property
    def charges_address(self) -> bool:  # type: ignore[override]
        return self.status in (401, 403)


def not_admitted(refusal: NotAdmitted) -> Refusal:
    """The answer to a stream the admission refused (admission.py)."""
    retry_after = [(b"retry-after", str(refusal.retry_after).encode())]
    if refusal.reason == admission.TOO_MANY_CONNECTIONS:
        message = format_lazy(
            _("You hold {limit} live connections (WebSockets and streams): close one first."),
            limit=settings.REALTIME["MAX_CONNECTIONS_PER_USER"],
        )
        return Refusal(429, "too_many_connections", message)
    if refusal.reason == admission.BUSY:
        busy = _("Server busy; retry with backoff.")
        return Refusal(503, "unavailable", busy, headers=retry_after)
    throttled = _("Too many refused requests from your address; retry later.")
    return Refusal(429, "throttled", throttled, headers=retry_after)


def with_items(message: Text, items: str) -> Text:
    """A field's message followed by the items it is about (topic names, as sent)."""
    return format_lazy("{message} {items}", message=message, items=items)


def refusal_body(refusal: Refusal, scope: Scope, profile_language: str) -> dict[str, Any]:
    """The error body, written in the request's language (`profile_language` is "" until the
    request is authenticated, or for an account that never chose one)."""
    with translation.override(supported(profile_language) or language_from_scope(scope)):
        fields = {name: [str(text) for text in texts] for name, texts in refusal.fields.items()}
        error = {"code": refusal.code, "message": str(refusal.message), "fields": fields}
    return {"error": error}
