"""Every write to users (services/users.py), their credentials: passwords, sessions, refresh
tokens (services/credentials.py), and friendships (services/friends.py); this package names them
all.
"""

from planpal.accounts.services.credentials import (
    password_reset_confirm,
    password_reset_request,
    refresh_token_revoke,
    refresh_token_rotate,
    refresh_tokens_delete_expired,
    refresh_tokens_revoke,
    user_password_change,
    user_session_end,
)
from planpal.accounts.services.friends import (
    friend_accept,
    friend_block,
    friend_decline,
    friend_remove,
    friend_request,
)
from planpal.accounts.services.users import user_deactivate, user_register, user_update

__all__ = [
    "friend_accept",
    "friend_block",
    "friend_decline",
    "friend_remove",
    "friend_request",
    "password_reset_confirm",
    "password_reset_request",
    "refresh_token_revoke",
    "refresh_token_rotate",
    "refresh_tokens_delete_expired",
    "refresh_tokens_revoke",
    "user_deactivate",
    "user_password_change",
    "user_register",
    "user_session_end",
    "user_update",
]
