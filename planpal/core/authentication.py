"""DRF authentication classes: simplejwt's and the session's, binding the user id to the log
context once the user is known."""

from rest_framework.authentication import SessionAuthentication as BaseSessionAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication as BaseJWTAuthentication

from planpal.core.logging import bind


def _bound(result):
    if result is not None:
        bind(user_id=result[0].pk)
    return result


class JWTAuthentication(BaseJWTAuthentication):
    def authenticate(self, request):
        return _bound(super().authenticate(request))


class SessionAuthentication(BaseSessionAuthentication):
    def authenticate(self, request):
        return _bound(super().authenticate(request))
