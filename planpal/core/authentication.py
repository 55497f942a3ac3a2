"""DRF authentication classes: simplejwt's and the session's, binding the user id to the log
context once the user is known. An access token must carry the account's current
`token_version` (compared on the user row simplejwt loads anyway: no extra query). The user's
profile language, if they chose one, is the request's from then on (planpal.core.i18n)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from rest_framework.authentication import SessionAuthentication as BaseSessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication as BaseJWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import Token

from planpal.core.i18n import use_profile_language
from planpal.core.logging import bind

if TYPE_CHECKING:  # imported at run time, these would load models before the app registry
    from rest_framework.request import Request

VERSION_CLAIM = "ver"


class Account(Protocol):
    """What is read here of the user model (accounts.User; core does not import it): its
    `token_version` revokes every token issued before it changed; `language` is the profile's
    (docs/i18n.md)."""

    pk: Any
    token_version: int
    language: str


def is_current(token: Token, user: Account) -> bool:
    """Whether the token (access or refresh) was issued since the account's last revocation:
    its `ver` claim is the account's `token_version` (tokens from before versions count as 0)."""
    version: int = token.get(VERSION_CLAIM, 0)
    return version == user.token_version


def _bound(request: Request, result: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    if result is not None:
        bind(user_id=result[0].pk)
        use_profile_language(request._request, result[0])
    return result


class JWTAuthentication(BaseJWTAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return _bound(request, super().authenticate(request))

    # simplejwt declares the result as a TypeVar that no argument binds.
    def get_user(self, validated_token: Token) -> Account:  # type: ignore[override]
        # An instance of AUTH_USER_MODEL, accounts.User.
        user = cast(Account, super().get_user(validated_token))
        if not is_current(validated_token, user):
            raise InvalidToken("Token was revoked")
        return user


class SessionAuthentication(BaseSessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return _bound(request, super().authenticate(request))
