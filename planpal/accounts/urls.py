"""accounts API routes."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.accounts import api

urlpatterns = [
    path("auth/register", api.RegisterView.as_view(), name="auth-register"),
    path("auth/token", api.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh", api.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/login", api.LoginView.as_view(), name="auth-login"),
    path("auth/logout", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/password-reset", api.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm",
        api.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("me", api.MeView.as_view(), name="me"),
    path("me/password", api.MePasswordView.as_view(), name="me-password"),
    path("users", api.UserSearchView.as_view(), name="user-search"),
    path("friends", api.FriendListView.as_view(), name="friends"),
    path("friends/<id:user_id>", api.FriendDetailView.as_view(), name="friend-detail"),
    path("friends/<id:user_id>/accept", api.FriendAcceptView.as_view(), name="friend-accept"),
    path("friends/<id:user_id>/decline", api.FriendDeclineView.as_view(), name="friend-decline"),
    path("friends/<id:user_id>/block", api.FriendBlockView.as_view(), name="friend-block"),
]
