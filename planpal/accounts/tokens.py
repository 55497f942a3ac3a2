"""The API's JWTs: what a token pair carries, and a refresh token as a client presents it.

Both tokens carry the account's `token_version` (claim `ver`); a token whose version is not the
account's current one is refused (`core.authentication.JWTAuthentication`, the refresh), so
raising the version revokes every token at once."""

from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from planpal.core.authentication import VERSION_CLAIM


def refresh_token_for(user) -> RefreshToken:
    token = RefreshToken.for_user(user)  # recorded as outstanding, so it can be revoked
    token[VERSION_CLAIM] = user.token_version  # the access token derived from it copies it
    return token


def token_pair(user) -> dict[str, str]:
    refresh = refresh_token_for(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenObtainSerializer(TokenObtainPairSerializer):
    """Username and password → a token pair carrying the account's version."""

    @classmethod
    def get_token(cls, user) -> RefreshToken:
        return refresh_token_for(user)


class PresentedRefreshToken(RefreshToken):
    """A refresh token as a client presents it: signature, expiry and type are checked on
    construction; whether it was used before is for the rotation to decide
    (`services.refresh_token_rotate`), which must tell a second use from any other bad token."""

    def __init__(self, encoded: str) -> None:
        # simplejwt annotates the encoded token it decodes as a `Token`; it is the text.
        super().__init__(encoded)  # type: ignore[arg-type]

    def check_blacklist(self) -> None:
        return None
