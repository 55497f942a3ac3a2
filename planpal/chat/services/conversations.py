"""Writes to conversations: a group's made and removed with it, a direct one opened between
friends, the read marker moved."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.accounts.selectors import are_friends, canonical_pair
from planpal.chat import selectors
from planpal.chat.events import READ_EVENTS
from planpal.chat.models import Conversation, Message
from planpal.chat.services.common import _advance_read_state, _lock, _require_participant, _topics
from planpal.core.events import emit
from planpal.core.exceptions import Forbidden, InvalidInput


def conversation_create_for_group(*, group, **_: Any) -> Conversation:
    """The group's conversation is created with the group, in the same transaction (a groups
    hook)."""
    return Conversation.objects.create(kind=Conversation.Kind.GROUP, group=group)


def conversation_delete_for_group(*, group_id: int, **_: Any) -> None:
    """A groups hook, run before the group row goes: on MySQL/MariaDB Django's cascade would set
    the conversation's nullable group_id to NULL before deleting it, which its kind/shape CHECK
    constraint refuses."""
    Conversation.objects.filter(group_id=group_id).delete()


# ---------------------------------------------------------------------------- conversations
def direct_conversation_get_or_create(*, actor, other_user_id: int) -> tuple[Conversation, bool]:
    """The direct conversation between the actor and a friend; created on first use."""
    if other_user_id == actor.pk:
        raise InvalidInput(
            _("You cannot start a conversation with yourself."),
            fields={"user": [_("Choose someone other than yourself.")]},
        )
    if not User.objects.filter(pk=other_user_id, is_active=True).exists():
        raise InvalidInput(
            _("No user with this id."), fields={"user": [_("No user with this id.")]}
        )
    if not are_friends(actor.pk, other_user_id):
        raise Forbidden(_("You can only message friends."), code="not_friends")
    low, high = canonical_pair(actor.pk, other_user_id)
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=Conversation.Kind.DIRECT, user_low_id=low, user_high_id=high
            )
        return conversation, True
    except IntegrityError:
        # Both friends opened the conversation at the same moment: use the one that won.
        return Conversation.objects.get(user_low_id=low, user_high_id=high), False


def conversation_mark_read(
    *, actor, conversation: Conversation, message_id: int | None = None
) -> int:
    """Move the actor's read marker to message_id (default: the latest message). It never moves
    backwards; returns the marker's position afterwards."""
    with transaction.atomic():
        _require_participant(actor, conversation)
        _lock(conversation)
        if message_id is None:
            message_id = (
                Message.objects.filter(conversation=conversation)
                .order_by("-id")
                .values_list("id", flat=True)
                .first()
            )
            if message_id is None:
                return selectors.last_read_message_id(user=actor, conversation=conversation)
        elif not Message.objects.filter(pk=message_id, conversation=conversation).exists():
            raise InvalidInput(
                _("That message is not in this conversation."),
                fields={"message_id": [_("No such message in this conversation.")]},
            )
        if _advance_read_state(conversation=conversation, user=actor, message_id=message_id):
            event = READ_EVENTS[conversation.kind](
                conversation_id=conversation.pk, user_id=actor.pk, last_read_message_id=message_id
            )
            for topic in _topics(conversation):
                emit(event, topic=topic, actor=actor)
        return selectors.last_read_message_id(user=actor, conversation=conversation)
