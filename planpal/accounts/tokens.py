"""The API's JWTs: what a token pair carries, and a refresh token as a client presents it."""

from rest_framework_simplejwt.tokens import RefreshToken


def token_pair(user) -> dict[str, str]:
    """A new access and refresh token for `user` (the refresh token is recorded as outstanding,
    so it can be revoked)."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class PresentedRefreshToken(RefreshToken):
    """A refresh token as a client presents it: signature, expiry and type are checked on
    construction; whether it was used before is for the rotation to decide
    (`services.refresh_token_rotate`), which must tell a second use from any other bad token."""

    def check_blacklist(self) -> None:
        return None
