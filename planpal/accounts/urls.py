"""accounts API routes."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.accounts import api

urlpatterns = [
    path("auth/register", api.RegisterApi.as_view(), name="auth-register"),
    path("auth/token", api.TokenApi.as_view(), name="auth-token"),
    path("auth/token/refresh", api.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/login", api.LoginApi.as_view(), name="auth-login"),
    path("auth/logout", api.LogoutApi.as_view(), name="auth-logout"),
    path("auth/password-reset", api.PasswordResetApi.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm",
        api.PasswordResetConfirmApi.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("me", api.MeApi.as_view(), name="me"),
    path("me/password", api.MePasswordApi.as_view(), name="me-password"),
    path("users", api.UserSearchApi.as_view(), name="user-search"),
    path("friends", api.FriendListApi.as_view(), name="friends"),
    path("friends/<id:user_id>", api.FriendDetailApi.as_view(), name="friend-detail"),
    path("friends/<id:user_id>/accept", api.FriendAcceptApi.as_view(), name="friend-accept"),
    path("friends/<id:user_id>/decline", api.FriendDeclineApi.as_view(), name="friend-decline"),
    path("friends/<id:user_id>/block", api.FriendBlockApi.as_view(), name="friend-block"),
]
