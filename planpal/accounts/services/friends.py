"""Writes to friendships: request, accept, decline, block, remove; each told to both people."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planpal.accounts.events import FriendAccepted, FriendBlocked, FriendRemoved, FriendRequested
from planpal.accounts.models import Friendship, User
from planpal.accounts.selectors import (
    FriendEntry,
    canonical_pair,
    friend_entry,
    user_get_active,
    user_public_data,
)
from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import Forbidden, InvalidInput, NotFound

Status = Friendship.Status


def _other_user(*, actor: User, user_id: int, active_only: bool = True) -> User:
    if user_id == actor.pk:
        raise InvalidInput(
            _("That is you."), fields={"user": [_("You cannot do this to yourself.")]}
        )
    if active_only:
        return user_get_active(user_id=user_id)
    other = User.objects.filter(pk=user_id).first()
    if other is None:
        raise NotFound(_("User not found."))
    return other


def _locked_pair(actor: User, other: User) -> Friendship | None:
    """The pair's row, locked until the transaction ends, with both users attached."""
    low, high = canonical_pair(actor.pk, other.pk)
    row = Friendship.objects.select_for_update().filter(user_low_id=low, user_high_id=high).first()
    if row is not None:
        row.user_low, row.user_high = (actor, other) if actor.pk == low else (other, actor)
    return row


def _locked_or_created(actor: User, other: User, **fields) -> tuple[Friendship, bool]:
    """The pair's locked row, created with `fields` when there is none yet."""
    row = _locked_pair(actor, other)
    if row is not None:
        return row, False
    low, high = (actor, other) if actor.pk < other.pk else (other, actor)
    try:
        with transaction.atomic():
            return Friendship.objects.create(user_low=low, user_high=high, **fields), True
    except IntegrityError:
        row = _locked_pair(actor, other)  # a concurrent request created it and has committed
        if row is None:
            raise
        return row, False


def _emit_to(event: DomainEvent, *, actor: User, user_ids: list[int]) -> None:
    for user_id in user_ids:
        emit(event, topic=topic_for("user", user_id), actor=actor)


def _emit_requested(*, actor: User, other: User) -> None:
    event = FriendRequested(requester=user_public_data(actor), addressee=user_public_data(other))
    _emit_to(event, actor=actor, user_ids=[actor.pk, other.pk])


def _emit_accepted(row: Friendship, *, actor: User, other: User) -> None:
    event = FriendAccepted(users=(user_public_data(row.user_low), user_public_data(row.user_high)))
    _emit_to(event, actor=actor, user_ids=[actor.pk, other.pk])


def _emit_removed(*, actor: User, other: User, user_ids: list[int]) -> None:
    event = FriendRemoved(user_ids=canonical_pair(actor.pk, other.pk))
    _emit_to(event, actor=actor, user_ids=user_ids)


def friend_request(*, actor: User, user_id: int) -> tuple[FriendEntry, bool]:
    """Ask `user_id` to be friends. If they already asked us, this accepts. Returns the actor's
    view of the friendship and whether anything changed (a repeated request changes nothing)."""
    other = _other_user(actor=actor, user_id=user_id)
    with transaction.atomic():
        row, created = _locked_or_created(actor, other, status=Status.PENDING, requested_by=actor)
        if created:
            _emit_requested(actor=actor, other=other)
            return friend_entry(row, viewer=actor), True
        if row.status == Status.BLOCKED:
            # Same answer whoever blocked: the blocked side must not learn who refused them.
            raise Forbidden(_("You cannot send a friend request to this user."), code="not_allowed")
        if row.status == Status.ACCEPTED or (
            row.status == Status.PENDING and row.requested_by_id == actor.pk
        ):
            return friend_entry(row, viewer=actor), False
        if row.status == Status.PENDING:  # they asked us first: that is a yes
            row.status = Status.ACCEPTED
            row.save(update_fields=["status", "updated_at"])
            _emit_accepted(row, actor=actor, other=other)
        else:  # declined earlier: a fresh request
            row.status, row.requested_by = Status.PENDING, actor
            row.save(update_fields=["status", "requested_by", "updated_at"])
            _emit_requested(actor=actor, other=other)
        return friend_entry(row, viewer=actor), True


def _locked_incoming_request(actor: User, other: User) -> Friendship:
    row = _locked_pair(actor, other)
    if row is None or row.status != Status.PENDING or row.requested_by_id == actor.pk:
        raise NotFound(_("There is no friend request from this user."))
    return row


def friend_accept(*, actor: User, user_id: int) -> FriendEntry:
    other = _other_user(actor=actor, user_id=user_id)
    with transaction.atomic():
        row = _locked_incoming_request(actor, other)
        row.status = Status.ACCEPTED
        row.save(update_fields=["status", "updated_at"])
        _emit_accepted(row, actor=actor, other=other)
        return friend_entry(row, viewer=actor)


def friend_decline(*, actor: User, user_id: int) -> None:
    """Say no to a request. It leaves both lists; the requester may ask again later."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row = _locked_incoming_request(actor, other)
        row.status = Status.DECLINED
        row.save(update_fields=["status", "updated_at"])
        _emit_removed(actor=actor, other=other, user_ids=[actor.pk, other.pk])


def friend_block(*, actor: User, user_id: int) -> FriendEntry:
    """Block a user: ends any friendship or request, refuses their future requests and hides each
    from the other's search. The blocked user sees the relationship vanish, never the block."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row, created = _locked_or_created(
            actor, other, status=Status.BLOCKED, requested_by=actor, blocked_by=actor
        )
        if not created and row.status == Status.BLOCKED:
            # Already blocked, by us or by them. Theirs is kept (our unblock must not lift it)
            # and the answer is the same either way.
            return FriendEntry(
                user=other, status=Status.BLOCKED, direction="outgoing", since=row.updated_at
            )
        if not created:
            if row.status in (Status.PENDING, Status.ACCEPTED):
                _emit_removed(actor=actor, other=other, user_ids=[other.pk])
            row.status, row.blocked_by = Status.BLOCKED, actor
            row.save(update_fields=["status", "blocked_by", "updated_at"])
        event = FriendBlocked(user=user_public_data(other))
        emit(event, topic=topic_for("user", actor.pk), actor=actor)
        return friend_entry(row, viewer=actor)


def friend_remove(*, actor: User, user_id: int) -> None:
    """Unfriend, withdraw or refuse a request, or lift one's own block: the pair starts afresh."""
    other = _other_user(actor=actor, user_id=user_id, active_only=False)
    with transaction.atomic():
        row = _locked_pair(actor, other)
        if (
            row is None
            or row.status == Status.DECLINED
            or (row.status == Status.BLOCKED and row.blocked_by_id != actor.pk)
        ):
            raise NotFound(_("You have no friendship with this user."))
        audience = [actor.pk] if row.status == Status.BLOCKED else [actor.pk, other.pk]
        row.delete()
        _emit_removed(actor=actor, other=other, user_ids=audience)
