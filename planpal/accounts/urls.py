"""accounts API routes, and the `id` path converter the API's routes use for database ids."""

from django.urls import path, register_converter

from planpal.accounts import api


class IdConverter:
    """A database id, 1 .. 2**63-1. Longer numbers do not match the route (a 404), so no lookup
    ever sees a value the database cannot hold."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("auth/register", api.RegisterView.as_view(), name="auth-register"),
    path("auth/token", api.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh", api.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/login", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout", api.LogoutView.as_view(), name="auth-logout"),
    path("me", api.MeView.as_view(), name="me"),
    path("users", api.UserSearchView.as_view(), name="user-search"),
    path("friends", api.FriendListView.as_view(), name="friends"),
    path("friends/<id:user_id>", api.FriendDetailView.as_view(), name="friend-detail"),
    path("friends/<id:user_id>/accept", api.FriendAcceptView.as_view(), name="friend-accept"),
    path("friends/<id:user_id>/decline", api.FriendDeclineView.as_view(), name="friend-decline"),
    path("friends/<id:user_id>/block", api.FriendBlockView.as_view(), name="friend-block"),
]
