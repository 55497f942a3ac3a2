"""Writes to accounts: registration, profile changes, deactivation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planpal.accounts import hooks
from planpal.accounts.models import User
from planpal.accounts.services.credentials import _check_password_rules, _credentials_revoke
from planpal.core.exceptions import InvalidInput
from planpal.core.i18n import language_codes, supported
from planpal.core.validation import validate_timezone


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    same_email = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        same_email = same_email.exclude(pk=exclude_pk)
    if same_email.exists():
        raise InvalidInput(fields={"email": [_("An account with this email already exists.")]})


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
            raise InvalidInput(fields={"username": [_("This username is taken.")]})
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
            raise InvalidInput(fields={"username": [_("This username is taken.")]}) from exc


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
