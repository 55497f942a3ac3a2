"""Which language a text is written in (docs/i18n.md): the signed-in user's profile language,
else the request's Accept-Language (Django's LocaleMiddleware), else English. A text written for
someone else (a notification, a push, a mail) is written in that person's language instead:
`language_of` + `translation.override`."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils import translation

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

# A text for people: a string, or a lazy one (gettext_lazy, format_lazy) that becomes words in
# whichever language is active when it is read (str()), e.g. each recipient's.
Text = str | LazyText


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported(code: object) -> str:
    """`code` if it is one of LANGUAGES, else ""."""
    return code if isinstance(code, str) and code in language_codes() else ""


def language_of(user: Any) -> str:
    """The language to write to `user` in when they are not the one asking (their profile's,
    else the default): a notification, a push or a mail reaches them outside any request."""
    return supported(getattr(user, "language", "")) or settings.LANGUAGE_CODE


def group_by_language(languages: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """(user id, profile language) pairs → {language: [user ids]}, in the order given."""
    groups: dict[str, list[int]] = {}
    for pk, code in languages:
        groups.setdefault(supported(code) or settings.LANGUAGE_CODE, []).append(pk)
    return groups


def language_from_scope(scope: dict[str, Any]) -> str:
    """The language LocaleMiddleware would choose for an ASGI request answered below Django (the
    body limit's 413, the SSE stream's refusals): the language cookie, else Accept-Language,
    else English. Django's own rule (`get_language_from_request`), read from the scope's
    headers; the caller puts a signed-in user's profile language first when it knows it."""
    request = HttpRequest()
    cookies = []
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin-1")
        elif name == b"cookie":
            cookies.append(value.decode("latin-1"))
    request.COOKIES = parse_cookie("; ".join(cookies))
    return translation.get_language_from_request(request)


def use_profile_language(request: HttpRequest, user: Any) -> None:
    """The signed-in user chose a language: it wins over Accept-Language for this request (and
    the response's Content-Language, which LocaleMiddleware sets from the active language)."""
    code = supported(getattr(user, "language", ""))
    if code:
        translation.activate(code)
        request.LANGUAGE_CODE = code


class ProfileLanguageMiddleware:
    """For browser sessions (after AuthenticationMiddleware); token clients get theirs when DRF
    authenticates them (planpal.core.authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only with a session cookie: without one the user is anonymous (no query to learn it).
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and request.user.is_authenticated:
            use_profile_language(request, request.user)
        return self.get_response(request)
