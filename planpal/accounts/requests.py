"""The request type of views that require a logged-in user (DRF's default permission,
IsAuthenticated): their `request.user` is a `User`, never the anonymous user."""

from rest_framework.request import Request

from planpal.accounts.models import User


class AuthenticatedRequest(Request):
    """For annotations only: DRF builds a plain `Request`; IsAuthenticated guarantees the rest."""

    user: User
