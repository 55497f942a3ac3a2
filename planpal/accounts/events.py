"""Typed events of users and friendships, sent on the `user:<id>` topics of both people involved,
and of an account's credentials, on its own topic."""

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

from planpal.accounts.selectors import user_public_data
from planpal.core.events import DomainEvent, connections_rule


class PublicUser(BaseModel):
    """A user as anyone may see them; the shape of `accounts.selectors.user_public_data`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int
    username: str
    display_name: str
    avatar_url: str

    @classmethod
    def of(cls, user) -> Self:
        return cls(**user_public_data(user))


class FriendRequested(DomainEvent):
    """`requester` asked `addressee` to be friends; each side reads its direction from the ids."""

    name: ClassVar[str] = "friend.requested"
    requester: PublicUser
    addressee: PublicUser


class FriendAccepted(DomainEvent):
    """The two `users` are now friends (in either order; the client keeps the one that isn't it)."""

    name: ClassVar[str] = "friend.accepted"
    users: tuple[PublicUser, PublicUser]


class FriendRemoved(DomainEvent):
    """Whatever the two users had (friendship, pending request, block) is gone from their lists."""

    name: ClassVar[str] = "friend.removed"
    user_ids: tuple[int, int]


class FriendBlocked(DomainEvent):
    """Sent only to the blocker's own topic (their other devices); the blocked one is never told."""

    name: ClassVar[str] = "friend.blocked"
    user: PublicUser


class CredentialsRevoked(DomainEvent):
    """The account's password changed (or was reset): every token, ticket and session from
    before is void. On the user's own topic; the gateway closes the user's connections admitted
    under an older `token_version` (4001), except those of the browser session that made the
    change (`kept_session`, "" for none), which stays signed in."""

    name: ClassVar[str] = "user.credentials_revoked"
    token_version: int
    kept_session: str

    @classmethod
    def connections_rule(cls, payload: dict[str, Any]) -> str:
        return connections_rule(
            below_version=payload["token_version"], keep_session=payload["kept_session"]
        )


class SignedOut(DomainEvent):
    """A browser session signed out: the gateway closes its connections (4001)."""

    name: ClassVar[str] = "user.signed_out"
    session: str

    @classmethod
    def connections_rule(cls, payload: dict[str, Any]) -> str:
        return connections_rule(session=payload["session"])
