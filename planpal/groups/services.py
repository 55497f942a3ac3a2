"""Every write to groups, memberships and invites.

Services that change who belongs to a group lock the group's row first, so that concurrent
changes queue up and rules that count members ("at least one owner") hold.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planpal.accounts.models import User
from planpal.accounts.selectors import are_friends
from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from planpal.core.validation import between
from planpal.groups import hooks, selectors
from planpal.groups.events import (
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    GroupMemberRoleChanged,
    GroupUpdated,
)
from planpal.groups.models import Group, Invite, Membership
from planpal.groups.selectors import MANAGERS, Role

INVITE_MAX_TTL_HOURS = 720
INVITE_MAX_USES = 1000


class InviteInvalid(DomainError):
    """The link existed but can no longer be used: 410, the client should ask for a new one."""

    status_code = 410
    code = "invite_invalid"
    default_message = gettext_lazy("This invite link has expired, was revoked or has been used up.")


class LastOwner(Conflict):
    code = "last_owner"
    default_message = gettext_lazy(
        "A group needs at least one owner: make someone else an owner first, or delete the group."
    )


# ---------------------------------------------------------------------------- helpers


def _lock_group(group_id: int) -> Group:
    group = Group.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Group not found."))
    return group


def _emit_group_and_user(event: DomainEvent, *, group_id: int, user_id: int, actor) -> None:
    emit(event, topic=topic_for("group", group_id), actor=actor)
    emit(event, topic=topic_for("user", user_id), actor=actor)


def _announce_member_added(group: Group, membership: Membership, *, actor) -> None:
    event = GroupMemberAdded(
        group=selectors.group_event_data(group), member=selectors.member_event_data(membership)
    )
    _emit_group_and_user(event, group_id=group.pk, user_id=membership.user_id, actor=actor)
    hooks.run("member_added", group_id=group.pk, user=membership.user, actor=actor)


def _announce_member_removed(group: Group, *, user_id: int, reason: str, actor) -> None:
    event = GroupMemberRemoved(group_id=group.pk, user_id=user_id, reason=reason)
    _emit_group_and_user(event, group_id=group.pk, user_id=user_id, actor=actor)
    hooks.run("member_removed", group_id=group.pk, user_id=user_id, actor=actor)


def _emit_group_updated(group: Group, *, actor) -> None:
    event = GroupUpdated(group=selectors.group_event_data(group))
    emit(event, topic=topic_for("group", group.pk), actor=actor)


def _other_owner_remains(group: Group, *, user_id: int) -> bool:
    return Membership.objects.filter(group=group, role=Role.OWNER).exclude(user_id=user_id).exists()


def _hand_over_ownership(group: Group, *, from_user_id: int, actor) -> None:
    """`Group.owner` always names an owner: when it stops being one, the longest-standing other
    owner takes its place."""
    if group.owner_id != from_user_id:
        return
    successor = (
        Membership.objects.filter(group=group, role=Role.OWNER)
        .exclude(user_id=from_user_id)
        .select_related("user")
        .order_by("joined_at", "id")
        .first()
    )
    if successor is None:  # callers check _other_owner_remains first
        raise LastOwner()
    group.owner = successor.user
    group.save(update_fields=["owner", "updated_at"])
    _emit_group_updated(group, actor=actor)


# ---------------------------------------------------------------------------- groups


def group_create(*, actor: User, name: str, description: str = "") -> Group:
    """A new group with the actor as its owner and its conversation, in one transaction."""
    with transaction.atomic():
        group = Group.objects.create(name=name, description=description, owner=actor)
        hooks.run("group_created", group=group, actor=actor)  # chat: the group's conversation
        membership = Membership.objects.create(group=group, user=actor, role=Role.OWNER)
        _announce_member_added(group, membership, actor=actor)
    return group


def group_update(
    *, actor: User, group_id: int, name: str | None = None, description: str | None = None
) -> Group:
    """Owners and admins rename or re-describe the group; None leaves a field as it is."""
    with transaction.atomic():
        group = _lock_group(group_id)
        selectors.require_role(user=actor, group_id=group_id, roles=MANAGERS, action=_("edit it"))
        changes = {
            field: value
            for field, value in (("name", name), ("description", description))
            if value is not None and value != getattr(group, field)
        }
        if changes:
            for field, value in changes.items():
                setattr(group, field, value)
            group.save(update_fields=[*changes, "updated_at"])
            _emit_group_updated(group, actor=actor)
    return group


def group_delete(*, actor: User, group_id: int) -> None:
    """Owners delete the group with its plans, conversation and invites. Every member's devices
    are told on their user topic; plan followers on each plan's topic."""
    with transaction.atomic():
        group = _lock_group(group_id)
        selectors.require_role(
            user=actor, group_id=group_id, roles=(Role.OWNER,), action=_("delete it")
        )
        event = GroupDeleted(group_id=group.pk)
        emit(event, topic=topic_for("group", group.pk), actor=actor)
        for user_id in sorted(selectors.member_ids(group_id=group.pk)):
            emit(event, topic=topic_for("user", user_id), actor=actor)
        hooks.run("group_deleted", group_id=group.pk, actor=actor)  # plans, chat: theirs go first
        group.delete()


# ---------------------------------------------------------------------------- members


def member_add(*, actor: User, group_id: int, user_id: int) -> Membership:
    """Owners and admins add one of their accepted friends as a member."""
    with transaction.atomic():
        group = _lock_group(group_id)
        selectors.require_role(
            user=actor, group_id=group_id, roles=MANAGERS, action=_("add members")
        )
        if selectors.is_member(user_id=user_id, group_id=group_id):
            raise Conflict(_("This user is already a member."), code="already_member")
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not are_friends(actor.pk, user.pk):
            raise InvalidInput(
                _("You can only add your friends."),
                code="not_a_friend",
                fields={"user": [_("Not one of your friends.")]},
            )
        membership = Membership.objects.create(group=group, user=user, role=Role.MEMBER)
        _announce_member_added(group, membership, actor=actor)
        return membership


def member_set_role(*, actor: User, group_id: int, user_id: int, role: str) -> Membership:
    """Owners change anyone's role, their own included, as long as one owner remains."""
    with transaction.atomic():
        group = _lock_group(group_id)
        selectors.require_role(
            user=actor, group_id=group_id, roles=(Role.OWNER,), action=_("change roles")
        )
        target = (
            Membership.objects.filter(group=group, user_id=user_id).select_related("user").first()
        )
        if target is None:
            raise NotFound(_("Member not found."))
        previous = target.role
        if role == previous:
            return target
        if previous == Role.OWNER and not _other_owner_remains(group, user_id=user_id):
            raise LastOwner(_("The last owner cannot step down: make someone else an owner first."))
        target.role = role
        target.save(update_fields=["role"])
        event = GroupMemberRoleChanged(
            group_id=group.pk, user_id=user_id, role=role, previous_role=previous
        )
        _emit_group_and_user(event, group_id=group.pk, user_id=user_id, actor=actor)
        if previous == Role.OWNER:
            _hand_over_ownership(group, from_user_id=user_id, actor=actor)
        hooks.run("member_role_changed", group_id=group.pk, user_id=user_id, role=role, actor=actor)
        return target


def member_remove(*, actor: User, group_id: int, user_id: int) -> None:
    """Anyone may leave. Owners remove anyone; admins remove plain members only."""
    with transaction.atomic():
        group = _lock_group(group_id)
        mine = selectors.require_membership(user=actor, group_id=group_id)
        if user_id == actor.pk:
            target, reason = mine, "left"
        else:
            selectors.require_role(
                user=actor, group_id=group_id, roles=MANAGERS, action=_("remove members")
            )
            found = Membership.objects.filter(group=group, user_id=user_id).first()
            if found is None:
                raise NotFound(_("Member not found."))
            target = found
            if mine.role == Role.ADMIN and target.role in MANAGERS:
                raise Forbidden(_("Admins can remove members, not owners or admins."))
            reason = "removed"
        if target.role == Role.OWNER and not _other_owner_remains(group, user_id=user_id):
            raise LastOwner()
        target.delete()
        _announce_member_removed(group, user_id=user_id, reason=reason, actor=actor)
        _hand_over_ownership(group, from_user_id=user_id, actor=actor)


# ---------------------------------------------------------------------------- invites


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_url(token: str, *, base: str) -> str:
    """The link that opens the web client's invite page; `base` is PUBLIC_URL or, unset, the
    origin of the request that made the invite (`planpal.core.links.public_base`)."""
    return f"{base}/invites/{token}"


def invite_create(
    *,
    actor: User,
    group_id: int,
    expires_in_hours: int | None = None,
    max_uses: int | None = None,
) -> tuple[Invite, str]:
    """A new invite link. Returns the invite and its token: the only time the token exists in
    clear, since only its SHA-256 is stored."""
    if expires_in_hours is None:
        expires_in_hours = settings.INVITE_DEFAULT_TTL_HOURS
    if not 1 <= expires_in_hours <= INVITE_MAX_TTL_HOURS:
        raise InvalidInput(fields={"expires_in_hours": [between(1, INVITE_MAX_TTL_HOURS)]})
    if max_uses is not None and not 1 <= max_uses <= INVITE_MAX_USES:
        raise InvalidInput(fields={"max_uses": [between(1, INVITE_MAX_USES)]})
    with transaction.atomic():
        selectors.require_role(
            user=actor, group_id=group_id, roles=MANAGERS, action=_("create invite links")
        )
        token = secrets.token_urlsafe(32)
        invite = Invite.objects.create(
            group_id=group_id,
            token_hash=hash_token(token),
            token_prefix=token[:6],
            created_by=actor,
            expires_at=timezone.now() + timedelta(hours=expires_in_hours),
            max_uses=max_uses,
        )
    return invite, token


def invite_revoke(*, actor: User, group_id: int, key: str) -> Invite:
    """Revoke an invite named by its token or, for links whose token is gone, by its id.
    Revoking twice is a no-op."""
    with transaction.atomic():
        selectors.require_role(
            user=actor, group_id=group_id, roles=MANAGERS, action=_("revoke invite links")
        )
        match = Q(token_hash=hash_token(key))
        if key.isascii() and key.isdigit() and len(key) <= 18:
            match |= Q(pk=int(key))
        invite = Invite.objects.select_for_update().filter(match, group_id=group_id).first()
        if invite is None:
            raise NotFound(_("Invite not found."))
        if invite.revoked_at is None:
            invite.revoked_at = timezone.now()
            invite.save(update_fields=["revoked_at"])
        return invite


def invite_accept(*, actor: User, token: str) -> tuple[Group, bool]:
    """Join the invite's group. Returns the group and whether the actor joined just now (an
    existing member is simply shown the group and uses nothing up)."""
    invite = Invite.objects.filter(token_hash=hash_token(token)).first()
    if invite is None:
        raise NotFound(_("Invite not found."))
    with transaction.atomic():
        group = _lock_group(invite.group_id)
        if selectors.is_member(user_id=actor.pk, group_id=group.pk):
            return group, False
        # The use is claimed by a conditional UPDATE: however many accept at once, the database
        # lets at most max_uses of them through.
        claimed = (
            Invite.objects.filter(
                pk=invite.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
            .update(uses=F("uses") + 1)
        )
        if not claimed:
            raise InviteInvalid()
        membership = Membership.objects.create(group=group, user=actor, role=Role.MEMBER)
        _announce_member_added(group, membership, actor=actor)
    return group, True
