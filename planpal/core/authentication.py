"""DRF authentication classes: simplejwt's and the session's, binding the user id to the log
context once the user is known. An access token must carry the account's current
`token_version` (compared on the user row simplejwt loads anyway: no extra query). The user's
profile language, if they chose one, is the request's from then on (planpal.core.i18n)."""

from rest_framework.authentication import SessionAuthentication as BaseSessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication as BaseJWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from planpal.core.i18n import use_profile_language
from planpal.core.logging import bind

VERSION_CLAIM = "ver"


def is_current(token, user) -> bool:
    """Whether the token (access or refresh) was issued since the account's last revocation:
    its `ver` claim is the account's `token_version` (tokens from before versions count as 0)."""
    return token.get(VERSION_CLAIM, 0) == user.token_version


def _bound(request, result):
    if result is not None:
        bind(user_id=result[0].pk)
        use_profile_language(request._request, result[0])
    return result


class JWTAuthentication(BaseJWTAuthentication):
    def authenticate(self, request):
        return _bound(request, super().authenticate(request))

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not is_current(validated_token, user):
            raise InvalidToken("Token was revoked")
        return user


class SessionAuthentication(BaseSessionAuthentication):
    def authenticate(self, request):
        return _bound(request, super().authenticate(request))
