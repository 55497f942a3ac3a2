"""Reads of groups and memberships that carry permission logic."""

from collections.abc import Collection, Sequence
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.aggregates import Count
from django.utils.translation import gettext as _

from planpal.accounts.selectors import user_public_data
from planpal.core.events import topic_for
from planpal.core.exceptions import Forbidden, NotFound
from planpal.core.i18n import Text
from planpal.groups.models import Group, Invite, Membership
from planpal.realtime.selectors import stream_positions

Role = Membership.Role
MANAGERS = (Role.OWNER, Role.ADMIN)
_ROLE_ORDER: dict[str, int] = {Role.OWNER: 0, Role.ADMIN: 1, Role.MEMBER: 2}


def get_membership(*, user, group_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, group_id=group_id).first()


def require_membership(*, user, group_id: int) -> Membership:
    """The actor's membership, or NotFound: a non-member learns nothing, not even that it exists."""
    membership = get_membership(user=user, group_id=group_id)
    if membership is None:
        raise NotFound(_("Group not found."))
    return membership


def require_role(*, user, group_id: int, roles: tuple[str, ...], action: Text) -> Membership:
    """The actor's membership if its role is one of `roles`: NotFound for non-members, Forbidden
    for members who lack the role. `action` completes "Only owners ... can <action>."."""
    membership = require_membership(user=user, group_id=group_id)
    if membership.role not in roles:
        if roles == (Role.OWNER,):
            raise Forbidden(_("Only the group's owners can %(action)s.") % {"action": action})
        raise Forbidden(
            _("Only the group's owners and admins can %(action)s.") % {"action": action}
        )
    return membership


def group_ids_of_users(*, user_ids: Collection[int]) -> dict[int, list[int]]:
    """Each user's groups (one query however many users)."""
    found: dict[int, list[int]] = {user_id: [] for user_id in user_ids}
    memberships = Membership.objects.filter(user_id__in=found)
    for user_id, group_id in memberships.values_list("user_id", "group_id"):
        found[user_id].append(group_id)
    return found


def memberships_among(*, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (user_id, group_id) memberships among every asked user and asked group (one query)."""
    users = {user_id for user_id, _ in pairs}
    groups = {group_id for _, group_id in pairs}
    memberships = Membership.objects.filter(user_id__in=users, group_id__in=groups)
    return list(memberships.values_list("user_id", "group_id"))


def is_member(*, user_id: int, group_id: int) -> bool:
    return Membership.objects.filter(user_id=user_id, group_id=group_id).exists()


def member_ids(*, group_id: int) -> list[int]:
    return list(Membership.objects.filter(group_id=group_id).values_list("user_id", flat=True))


def groups_for_user(*, user) -> QuerySet[Group]:
    return Group.objects.filter(memberships__user=user).order_by("name", "id")


# ---------------------------------------------------------------------------- snapshots


def _viewed_by(user) -> QuerySet[Group]:
    """Groups with the viewer's role, the member count and the conversation id attached."""
    my_role = Membership.objects.filter(group=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Group.objects.filter(pk__in=Membership.objects.filter(user=user).values("group_id"))
        .select_related("owner")
        .annotate(
            member_count=Count("memberships"),
            my_role=Subquery(my_role),
            conversation_pk=F("conversation__id"),
        )
    )


def groups_snapshot(*, user, group_ids: list[int]) -> list[Group]:
    """The user's groups with these ids, in this order, each with its `stream` read *before* the
    rows so a client that subscribes since it misses nothing."""
    streams = stream_positions([topic_for("group", pk) for pk in group_ids])
    groups = {group.pk: group for group in _viewed_by(user).filter(pk__in=group_ids)}
    ordered = [groups[pk] for pk in group_ids if pk in groups]
    for group in ordered:
        group.stream = streams[topic_for("group", group.pk)]
    return ordered


def group_detail(*, user, group_id: int) -> Group:
    require_membership(user=user, group_id=group_id)
    return groups_snapshot(user=user, group_ids=[group_id])[0]


def group_members(*, group_id: int) -> list[Membership]:
    """Owners first, then admins, then members; each in joining order."""
    rows = (
        Membership.objects.filter(group_id=group_id)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    return sorted(rows, key=lambda m: _ROLE_ORDER[m.role])


def group_invites(*, group_id: int) -> QuerySet[Invite]:
    return Invite.objects.filter(group_id=group_id).select_related("created_by").order_by("-id")


# ---------------------------------------------------------------------------- event payloads


def group_event_data(group: Group) -> dict[str, Any]:
    """`events.GroupData` of a group."""
    conversation = getattr(group, "conversation_pk", None)
    if conversation is None and hasattr(group, "conversation"):
        conversation = group.conversation.pk
    return {
        "id": group.pk,
        "name": group.name,
        "description": group.description,
        "owner": user_public_data(group.owner),
        "conversation": conversation,
        "created_at": group.created_at,
        "updated_at": group.updated_at,
    }


def member_event_data(membership: Membership) -> dict[str, Any]:
    """`events.MemberData` of a membership."""
    return {
        "user": user_public_data(membership.user),
        "role": membership.role,
        "joined_at": membership.joined_at,
    }
