"""Every write to users and friendships."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from planpal.accounts import hooks
from planpal.accounts.events import (
    CredentialsRevoked,
    FriendAccepted,
    FriendBlocked,
    FriendRemoved,
    FriendRequested,
    SignedOut,
)
from planpal.accounts.models import Friendship, User
from planpal.accounts.selectors import (
    FriendEntry,
    canonical_pair,
    friend_entry,
    user_get_active,
    user_public_data,
)
from planpal.accounts.tasks import password_reset_mail_send
from planpal.accounts.tokens import PresentedRefreshToken, token_pair
from planpal.core import background
from planpal.core.authentication import is_current
from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import Forbidden, InvalidInput, NotFound
from planpal.core.i18n import language_codes, supported
from planpal.core.validation import validate_timezone

Status = Friendship.Status


# ---------------------------------------------------------------------------- users


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    taken = User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()
    if taken:
        raise InvalidInput(fields={"email": ["An account with this email already exists."]})


def _check_language(language: str) -> str:
    if not supported(language):
        raise InvalidInput(
            fields={"language": [_("Choose one of: %s.") % ", ".join(language_codes())]}
        )
    return language


def _username_taken(normalized: str) -> bool:
    """Whether an account has this name under the normalisation rule (NFKC + casefold), or under
    the database's own comparison (MariaDB's collation also ignores accents: one account there)."""
    if User.objects.filter(username=normalized).exists():
        return True
    similar = User.objects.filter(username__iexact=normalized).values_list("username", flat=True)
    return any(User.normalize_username(name) == normalized for name in similar)


def user_register(
    *, username: str, email: str, password: str, display_name: str = "", language: str = ""
) -> User:
    """Names are stored normalised (NFKC + casefold, models.normalize_username), so "Alice" and
    a fullwidth "alice" are both the existing "alice" and refused. `language` ("" = not chosen)
    is the one the API found for the sign-up request unless the client names one."""
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email)
    try:
        User.username_validator(username)
    except DjangoValidationError as exc:
        raise InvalidInput(fields={"username": exc.messages}) from exc
    candidate = User(username=username, email=email, display_name=display_name)
    _check_password_rules(password, user=candidate, field="password")

    with transaction.atomic():
        if _username_taken(username):
            raise InvalidInput(fields={"username": ["This username is taken."]})
        _check_email_free(email)
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    username=username,
                    email=email,
                    password=password,
                    display_name=display_name,
                    language=_check_language(language) if language else "",
                )
        except IntegrityError as exc:  # a concurrent registration took the name first
            raise InvalidInput(fields={"username": ["This username is taken."]}) from exc


def user_update(
    *,
    actor: User,
    display_name: str | None = None,
    avatar_url: str | None = None,
    email: str | None = None,
    timezone: str | None = None,
    language: str | None = None,
) -> User:
    """Change the actor's own profile; None leaves a field as it is."""
    changes: dict[str, str] = {}
    if language is not None:
        changes["language"] = _check_language(language)
    if display_name is not None:
        changes["display_name"] = display_name
    if avatar_url is not None:
        changes["avatar_url"] = avatar_url
    if timezone is not None:
        changes["timezone"] = validate_timezone(timezone)
    if email is not None:
        changes["email"] = User.objects.normalize_email(email)
    with transaction.atomic():
        if "email" in changes:
            _check_email_free(changes["email"], exclude_pk=actor.pk)
        for field, value in changes.items():
            setattr(actor, field, value)
        if changes:
            actor.save(update_fields=list(changes))
    return actor


def user_deactivate(*, user: User) -> User:
    """Deactivate an account (the admin does). What other apps keep running on its authority
    stops in the same transaction (`accounts.hooks`: its webhooks, for one)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        hooks.run_deactivated(user_id=user.pk)
        _credentials_revoke(user)  # its live connections close now, not at their next check
    return user


# ---------------------------------------------------------------------------- credentials


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


# ---------------------------------------------------------------------------- friendships


def _other_user(*, actor: User, user_id: int, active_only: bool = True) -> User:
    if user_id == actor.pk:
        raise InvalidInput("That is you.", fields={"user": ["You cannot do this to yourself."]})
    if active_only:
        return user_get_active(user_id=user_id)
    other = User.objects.filter(pk=user_id).first()
    if other is None:
        raise NotFound("User not found.")
    return other


def _locked_pair(actor: User, other: User) -> Friendship | None:
    """The pair's row, locked until the transaction ends, with both users attached."""
    low, high = canonical_pair(actor.pk, other.pk)
    row = Friendship.objects.select_for_update().filter(user_low_id=low, user_high_id=high).first()
    if row is not None:
        row.user_low, row.user_high = (actor, other) if actor.pk == low else (other, actor)
    return row


def _locked_or_created(actor: User, other: User, **fields) -> tuple[Friendship, bool]:
    """The pair's locked row, created with `fields` when there is none yet."""
    row = _locked_pair(actor, other)
    if row is not None:
        return row, False
    low, high = (actor, other) if actor.pk < other.pk else (other, actor)
    try:
        with transaction.atomic():
            return Friendship.objects.create(user_low=low, user_high=high, **fields), True
    except IntegrityError:
        row = _locked_pair(actor, other)  # a concurrent request created it and has committed
        if row is None:
            raise
        return row, False


def _emit_to(event: DomainEvent, *, actor: User, user_ids: list[int]) -> None:
    for user_id in user_ids:
        emit(event, topic=topic_for("user", user_id), actor=actor)


def _emit_requested(*, actor: User, other: User) -> None:
    event = FriendRequested(requester=user_public_data(actor), addressee=user_public_data(other))
    _emit_to(event, actor=actor, user_ids=[actor.pk, other.pk])


def _emit_accepted(row: Friendship, *, actor: User, other: User) -> None:
    event = FriendAccepted(users=(user_public_data(row.user_low), user_public_data(row.user_high)))
    _emit_to(event, actor=actor, user_ids=[actor.pk, other.pk])


def _emit_removed(*, actor: User, other: User, user_ids: list[int]) -> None:
    event = FriendRemoved(user_ids=canonical_pair(actor.pk, other.pk))
    _emit_to(event, actor=actor, user_ids=user_ids)


def friend_request(*, actor: User, user_id: int) -> tuple[FriendEntry, bool]:
    """Ask `user_id` to be friends. If they already asked us, this accepts. Returns the actor's
    view of the friendship and whether anything changed (a repeated request changes nothing)."""
    other = _other_user(actor=actor, user_id=user_id)
    with transaction.atomic():
        row, created = _locked_or_created(actor, other, status=Status.PENDING, requested_by=actor)
        if created:
            _emit_requested(actor=actor, other=other)
            return friend_entry(row, viewer=actor), True
        if row.status == Status.BLOCKED:
            # Same answer whoever blocked: the blocked side must not learn who refused them.
            raise Forbidden("You cannot send a friend request to this user.", code="not_allowed")
        if row.status == Status.ACCEPTED or (
            row.status == Status.PENDING and row.requested_by_id == actor.pk
        ):
            return friend_entry(row, viewer=actor), False
        if row.status == Status.PENDING:  # they asked us first: that is a yes
            row.status = Status.ACCEPTED
            row.save(update_fields=["status", "updated_at"])
            _emit_accepted(row, actor=actor, other=other)
        else:  # declined earlier: a fresh request
            row.status, row.requested_by = Status.PENDING, actor
            row.save(update_fields=["status", "requested_by", "updated_at"])
            _emit_requested(actor=actor, other=other)
        return friend_entry(row, viewer=actor), True


def _locked_incoming_request(actor: User, other: User) -> Friendship:
    row = _locked_pair(actor, other)
    if row is None or row.status != Status.PENDING or row.requested_by_id == actor.pk:
        raise NotFound("There is no friend request from this user.")
    return row


def friend_accept(*, actor: User, user_id: int) -> FriendEntry:
    other = _other_user(actor=actor, user_id=user_id)
    with transaction.atomic():
        row = _locked_incoming_request(actor, other)
        row.status = Status.ACCEPTED
        row.save(update_fields=["status", "updated_at"])
        _emit_accepted(row, actor=actor, other=other)
        return friend_entry(row, viewer=actor)


def friend_decline(*, actor: User, user_id: int) -> None:
    """Say no to a request. It leaves both lists; the requester may ask again later."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row = _locked_incoming_request(actor, other)
        row.status = Status.DECLINED
        row.save(update_fields=["status", "updated_at"])
        _emit_removed(actor=actor, other=other, user_ids=[actor.pk, other.pk])


def friend_block(*, actor: User, user_id: int) -> FriendEntry:
    """Block a user: ends any friendship or request, refuses their future requests and hides each
    from the other's search. The blocked user sees the relationship vanish, never the block."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row, created = _locked_or_created(
            actor, other, status=Status.BLOCKED, requested_by=actor, blocked_by=actor
        )
        if not created and row.status == Status.BLOCKED:
            # Already blocked, by us or by them. Theirs is kept (our unblock must not lift it)
            # and the answer is the same either way.
            return FriendEntry(
                user=other, status=Status.BLOCKED, direction="outgoing", since=row.updated_at
            )
        if not created:
            if row.status in (Status.PENDING, Status.ACCEPTED):
                _emit_removed(actor=actor, other=other, user_ids=[other.pk])
            row.status, row.blocked_by = Status.BLOCKED, actor
            row.save(update_fields=["status", "blocked_by", "updated_at"])
        event = FriendBlocked(user=user_public_data(other))
        emit(event, topic=topic_for("user", actor.pk), actor=actor)
        return friend_entry(row, viewer=actor)


def friend_remove(*, actor: User, user_id: int) -> None:
    """Unfriend, withdraw or refuse a request, or lift one's own block: the pair starts afresh."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row = _locked_pair(actor, other)
        if (
            row is None
            or row.status == Status.DECLINED
            or (row.status == Status.BLOCKED and row.blocked_by_id != actor.pk)
        ):
            raise NotFound("You have no friendship with this user.")
        audience = [actor.pk] if row.status == Status.BLOCKED else [actor.pk, other.pk]
        row.delete()
        _emit_removed(actor=actor, other=other, user_ids=audience)
