"""Reads of users and friendships."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from planpal.accounts.models import Friendship, User
from planpal.core.exceptions import NotFound

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_RESULTS = 20


def canonical_pair(user_a_id: int, user_b_id: int) -> tuple[int, int]:
    return (user_a_id, user_b_id) if user_a_id < user_b_id else (user_b_id, user_a_id)


def are_friends(user_a_id: int, user_b_id: int) -> bool:
    low, high = canonical_pair(user_a_id, user_b_id)
    return Friendship.objects.filter(
        user_low_id=low, user_high_id=high, status=Friendship.Status.ACCEPTED
    ).exists()


def user_public_data(user: User) -> dict[str, Any]:
    """The fields anyone may see about a user: the one shape for payloads of every app's events."""
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
    }


def users_public_data(user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """`user_public_data` of many users in one query, by id (unknown ids are left out)."""
    users = User.objects.filter(pk__in=set(user_ids))
    return {user.pk: user_public_data(user) for user in users}


def user_get_active(*, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(_("User not found."))
    return user


def public_name_of(user_id: int | None) -> str:
    """How notifications name whoever did something; "PlanPal" for the system (no actor)."""
    if user_id is None:
        return "PlanPal"
    user = User.objects.filter(pk=user_id).only("username", "display_name").first()
    return user.public_name if user else "PlanPal"


def accounts_may_connect(credentials: list[tuple[int, int]]) -> dict[tuple[int, int], bool]:
    """For each (user id, token version): whether the account exists, may still sign in (it was
    not deactivated) and has not revoked its credentials since that version was current
    (password changed or reset). One query however many."""
    current = dict(
        User.objects.filter(
            pk__in={user_id for user_id, _ in credentials}, is_active=True
        ).values_list("pk", "token_version")
    )
    return {(user_id, version): current.get(user_id) == version for user_id, version in credentials}


def _blocked_user_ids(*, user: User) -> set[int]:
    """Everyone in a block with `user`, whichever side blocked."""
    rows = Friendship.objects.filter(
        Q(user_low=user) | Q(user_high=user), status=Friendship.Status.BLOCKED
    ).values_list("user_low_id", "user_high_id")
    return {low if high == user.pk else high for low, high in rows}


def user_search(*, actor: User, query: str) -> list[User]:
    """People to befriend: username or display name starts with `query`. Blocks hide both ways."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(username__istartswith=query) | Q(display_name__istartswith=query))
        .exclude(pk=actor.pk)
        .exclude(pk__in=_blocked_user_ids(user=actor))
        .order_by("username")[:SEARCH_MAX_RESULTS]
    )


@dataclass(frozen=True)
class FriendEntry:
    """One line of a user's friends list, as seen by that user."""

    user: User
    status: str  # accepted | pending | blocked
    direction: str | None  # incoming | outgoing for pending and blocked; None once accepted
    since: datetime


def friend_entry(friendship: Friendship, *, viewer: User) -> FriendEntry:
    other = friendship.user_high if friendship.user_low_id == viewer.pk else friendship.user_low
    direction = None
    if friendship.status == Friendship.Status.PENDING:
        direction = "outgoing" if friendship.requested_by_id == viewer.pk else "incoming"
    elif friendship.status == Friendship.Status.BLOCKED:
        direction = "outgoing"
    return FriendEntry(
        user=other, status=friendship.status, direction=direction, since=friendship.updated_at
    )


_LIST_ORDER = {"pending": 0, "accepted": 1, "blocked": 2}


def friends_list(*, user: User) -> list[FriendEntry]:
    """Friends, pending requests both ways, and the people `user` blocked (so they can unblock).
    Declined requests and blocks by the other side are not shown: nobody learns who refused them."""
    rows = (
        Friendship.objects.filter(Q(user_low=user) | Q(user_high=user))
        .filter(
            Q(status__in=[Friendship.Status.ACCEPTED, Friendship.Status.PENDING])
            | Q(status=Friendship.Status.BLOCKED, blocked_by=user)
        )
        .filter(user_low__is_active=True, user_high__is_active=True)
        .select_related("user_low", "user_high")
    )
    entries = [friend_entry(row, viewer=user) for row in rows]
    return sorted(entries, key=lambda e: (_LIST_ORDER[e.status], e.user.username.lower()))
