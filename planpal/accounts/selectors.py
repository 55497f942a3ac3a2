"""Reads of users and friendships."""

from planpal.accounts.models import Friendship


def canonical_pair(user_a_id: int, user_b_id: int) -> tuple[int, int]:
    return (user_a_id, user_b_id) if user_a_id < user_b_id else (user_b_id, user_a_id)


def are_friends(user_a_id: int, user_b_id: int) -> bool:
    low, high = canonical_pair(user_a_id, user_b_id)
    return Friendship.objects.filter(
        user_low_id=low, user_high_id=high, status=Friendship.Status.ACCEPTED
    ).exists()
