"""Reads of groups and memberships that carry permission logic."""

from django.db.models import QuerySet

from planpal.core.exceptions import NotFound
from planpal.groups.models import Group, Membership


def get_membership(*, user, group_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, group_id=group_id).first()


def require_membership(*, user, group_id: int) -> Membership:
    """The actor's membership, or NotFound: a non-member learns nothing, not even that it exists."""
    membership = get_membership(user=user, group_id=group_id)
    if membership is None:
        raise NotFound("Group not found.")
    return membership


def is_member(*, user_id: int, group_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, group_id=group_id).exists()


def member_ids(*, group_id: int) -> list[int]:
    return list(Membership.objects.filter(group_id=group_id).values_list("user_id", flat=True))


def groups_for_user(*, user) -> QuerySet[Group]:
    return Group.objects.filter(memberships__user=user).order_by("name", "id")
