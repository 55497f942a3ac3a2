"""Writes to what signs a user in: passwords (changed, reset), browser sessions ended, refresh
tokens rotated and revoked, and the revocation of everything issued until now."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from planpal.accounts.events import CredentialsRevoked, SignedOut
from planpal.accounts.models import User
from planpal.accounts.tasks import password_reset_mail_send
from planpal.accounts.tokens import PresentedRefreshToken, token_pair
from planpal.core import background
from planpal.core.authentication import is_current
from planpal.core.events import emit, topic_for
from planpal.core.exceptions import InvalidInput


def _check_password_rules(password: str, *, user: User, field: str) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise InvalidInput(fields={field: exc.messages}) from exc


def _credentials_revoke(user: User, *, kept_session: str = "") -> None:
    """Inside the caller's transaction: every access token, refresh token and ticket issued
    until now stops working (the version they carry is no longer the account's), and the
    gateway closes the user's live connections but those of the browser session kept."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    refresh_tokens_revoke(user=user)
    event = CredentialsRevoked(token_version=user.token_version, kept_session=kept_session)
    emit(event, topic=topic_for("user", user.pk), actor=user)


def user_password_change(
    *, actor: User, old_password: str, new_password: str, kept_session: str = ""
) -> User:
    """Change the actor's password. Everything signed in with the old one is signed out: tokens,
    tickets, other browser sessions (Django checks a session against the password hash) and
    live connections; only `kept_session`, the browser session asking (its caller keeps it with
    `update_session_auth_hash`), stays."""
    if not actor.check_password(old_password):
        raise InvalidInput(fields={"old_password": [_("Your current password is not this.")]})
    _check_password_rules(new_password, user=actor, field="new_password")
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        _credentials_revoke(actor, kept_session=kept_session)
    return actor


def password_reset_request(*, email: str, base_url: str) -> None:
    """Mail a reset link (valid PASSWORD_RESET_TIMEOUT, once) to the active account with this
    address, if there is one. The request does the same work either way and the mail goes out
    from a task, so the answer tells nobody whether the address has an account."""
    user = User.objects.filter(
        email__iexact=User.objects.normalize_email(email), is_active=True
    ).first()
    if user is not None:
        background.enqueue(password_reset_mail_send, user_id=user.pk, base_url=base_url)


def _reset_account(uid: str) -> User | None:
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password with the link of a reset mail. The token is Django's: it is bound to
    the password hash and last login, so it works once and not after another change. Like a
    password change, it signs out everything (no session is kept)."""
    user = _reset_account(uid)
    if user is None or not default_token_generator.check_token(user, token):
        raise InvalidInput(
            _("This link is invalid or has expired: ask for a new one."), code="invalid_link"
        )
    _check_password_rules(new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        _credentials_revoke(user)
    return user


def user_session_end(*, actor: User, session: str) -> None:
    """A browser session signed out: its live connections close (the session itself is ended
    by Django's logout)."""
    if not session:
        return
    with transaction.atomic():
        emit(SignedOut(session=session), topic=topic_for("user", actor.pk), actor=actor)


# ---------------------------------------------------------------------------- tokens


def _claim_once(token: PresentedRefreshToken) -> bool:
    """Blacklist the token; False when it already was (used before, or revoked). Two requests
    racing with one token both reach the unique row, and only one creates it."""
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=token[jwt_settings.JTI_CLAIM],
        defaults={
            "user_id": token.get(jwt_settings.USER_ID_CLAIM),
            "token": str(token),
            "expires_at": datetime_from_epoch(token["exp"]),
        },
    )
    _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    return created


def refresh_token_rotate(*, refresh: str) -> dict[str, str]:
    """A new token pair for a refresh token, which is used up. The legitimate client only ever
    holds the newest refresh token, so one presented a second time was copied: every refresh
    token of its user is revoked, and whoever holds them must sign in again."""
    token = PresentedRefreshToken(refresh)  # TokenError: bad signature, expired, not a refresh
    user = User.objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM), is_active=True).first()
    if user is None:
        raise TokenError("No active account found for the given token.")
    if not is_current(token, user):
        raise TokenError("Token was revoked")
    with transaction.atomic():
        fresh = _claim_once(token)
    if not fresh:
        refresh_tokens_revoke(user=user)
        raise TokenError("Token is blacklisted")
    return token_pair(user)


def refresh_token_revoke(*, refresh: str) -> None:
    """Logout of an app: its refresh token stops working. An invalid or expired token is
    revoked already."""
    try:
        token = PresentedRefreshToken(refresh)
    except TokenError:
        return
    with transaction.atomic():
        _claim_once(token)


def refresh_tokens_revoke(*, user: User) -> int:
    """Every refresh token of `user` stops working (reuse found, password changed or reset)."""
    with transaction.atomic():
        live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
        rows = [BlacklistedToken(token=token) for token in live]
        BlacklistedToken.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def refresh_tokens_delete_expired() -> int:
    """Housekeeping: an expired refresh token is refused by its signature's expiry alone, so
    its outstanding and blacklist rows are no longer needed."""
    _, deleted = OutstandingToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted.get(OutstandingToken._meta.label, 0)
