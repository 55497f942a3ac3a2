"""Who a live connection speaks for, and on what authority: the account, the token version it
was admitted under, and the browser session behind it (its cookie, or the session that asked
for its ticket). A credential revocation announced on the user's topic ends the connections it
covers (`subscriptions.TopicSubscriber._take`)."""

from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import salted_hmac

from planpal.core.events import parse_connections_rule

# Kept in a session's data once its key is about to change while it keeps its connections
# (a password change cycles the key): the session is still the same one to its connections.
SESSION_REF_KEY = "_planpal_session_ref"


@dataclass(frozen=True)
class Credential:
    user_id: int
    token_version: int
    session: str = ""  # session_ref of the browser session, "" for token clients
    # The account's profile language when it was admitted ("" for none): what the SSE stream's
    # refusals are written in. Not part of what the credential is.
    language: str = field(default="", compare=False)


def session_ref(session: SessionBase | None) -> str:
    """A browser session's name for its connections: not the key (which authenticates), a
    keyed hash of it, or the name the session was given before its key changed."""
    if session is None or not session.session_key:
        return ""
    pinned: str = session.get(SESSION_REF_KEY, "")
    if pinned:
        return pinned
    return salted_hmac("planpal.realtime.session", session.session_key).hexdigest()[:20]


def session_ref_pin(session: SessionBase) -> str:
    """Keep the session's name across the key change that follows (before cycle_key)."""
    ref = session_ref(session)
    if ref:
        session[SESSION_REF_KEY] = ref
    return ref


def ended_by(rule: str, credential: Credential) -> bool:
    """Whether a `core.events.connections_rule` ends a connection admitted with `credential`."""
    below_version, keep_session, session = parse_connections_rule(rule)
    if session and credential.session == session:
        return True
    kept = bool(keep_session) and credential.session == keep_session
    return credential.token_version < below_version and not kept
