"""Who is connecting: a one-time ticket (apps) or the session cookie with an allowed Origin
(browser). Access tokens never travel in URLs."""

from urllib.parse import parse_qs, urlsplit

from channels.auth import get_user
from django.conf import settings
from django.db import InterfaceError, OperationalError

from planpal.core.asgi_types import Scope
from planpal.core.db import BatchedLookup, is_database_unavailable
from planpal.realtime import users
from planpal.realtime.admission import HandshakeRefused
from planpal.realtime.credentials import Credential, session_ref
from planpal.realtime.tickets import ticket_consume_async


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header of an ASGI scope (latin-1, as HTTP carries it)."""
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """Cross-site WebSocket hijacking guard for cookie auth: the page must be served by us (same
    scheme-less origin as the Host the browser connected to) or be listed explicitly."""
    if not origin:
        return False
    if origin in settings.REALTIME["ALLOWED_ORIGINS"] or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host


class Refused(HandshakeRefused):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        # The metrics label of the refusal.
        self.reason_key = {4003: "forbidden", 1013: "unavailable"}.get(code, "unauthenticated")
        self.charges_address = code != 1013  # the database being down is nobody's fault


# The account checks of the connects that arrive together: one worker-thread trip and one query.
_account_checks: BatchedLookup[tuple[int, int], bool] = BatchedLookup(
    lambda credentials: users.accounts().may_connect(credentials)
)


async def authenticate(scope: Scope) -> Credential:
    """Who is connecting; raises Refused with the close code to use (4001 / 4003, or 1013 when
    the database cannot be asked: the client retries with backoff)."""
    try:
        return await _authenticate(scope)
    except (OperationalError, InterfaceError) as exc:
        if not is_database_unavailable(exc):
            raise
        raise Refused(1013, "database unavailable: retry with backoff") from exc


async def _authenticate(scope: Scope) -> Credential:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if "ticket" in query:
        credential = await ticket_consume_async(query["ticket"][0])
        if credential is None:
            raise Refused(4001, "ticket invalid, expired or already used")
        # The account was active when the ticket was issued; it may have been deactivated, or
        # its credentials revoked, since.
        if not await _account_checks((credential.user_id, credential.token_version)):
            raise Refused(4001, "account disabled or credentials revoked")
        return credential
    if not scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME):
        raise Refused(4001, "no ticket and no session")
    if not origin_allowed(header(scope, b"origin"), header(scope, b"host")):
        raise Refused(4003, "origin not allowed")
    return await session_credential(scope)


async def session_credential(scope: Scope) -> Credential:
    """The browser session's user (Django checks the session against the account's password
    hash, so a password change ends the other sessions), or Refused 4001."""
    user = await get_user(scope)
    if not user.is_authenticated:
        raise Refused(4001, "not logged in")
    session = session_ref(scope.get("session"))
    return Credential(user.pk, user.token_version, session, language=user.language)
