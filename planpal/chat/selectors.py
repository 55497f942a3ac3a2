"""Reads of conversations and messages that carry permission logic, plus unread counts."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from planpal.chat.models import Conversation, Message, ReadState
from planpal.core.events import topic_for
from planpal.core.exceptions import NotFound
from planpal.groups.models import Membership
from planpal.groups.selectors import get_membership
from planpal.realtime.selectors import StreamPosition, stream_positions

# What serialising a message reads besides its row (MessageOutputSerializer, the chat events).
MESSAGE_RELATED = ("sender", "attachment", "reply_to__sender", "reply_to__attachment")


class ListedAnnotations(TypedDict):
    my_last_read_message_id: int
    unread_count: int
    last_message_id: int | None


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A conversation as the lists read it (conversations_for_user, conversation_for_user).
    ListedConversation = WithAnnotations[Conversation, ListedAnnotations]


def _visible_to(user) -> Q:
    """Conversations a user takes part in: their groups' conversations and their direct ones."""
    group_ids = Membership.objects.filter(user=user).values("group_id")
    return Q(group_id__in=group_ids) | Q(user_low=user) | Q(user_high=user)


def _annotate_for(queryset: QuerySet[Conversation], user) -> QuerySet[Conversation]:
    """Adds my_last_read_message_id, unread_count and last_message_id for `user`."""
    my_read = ReadState.objects.filter(conversation=OuterRef("pk"), user=user)
    unread = (
        Message.objects.filter(
            conversation=OuterRef("pk"),
            id__gt=OuterRef("my_last_read_message_id"),
            deleted_at__isnull=True,
        )
        .exclude(sender=user)  # NULL senders (system messages) stay counted
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_message = Message.objects.filter(conversation=OuterRef("pk")).order_by("-id").values("id")
    return queryset.annotate(
        my_last_read_message_id=Coalesce(
            Subquery(my_read.values("last_read_message_id")[:1]), Value(0)
        ),
        unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        last_message_id=Subquery(last_message[:1]),
    ).select_related("group", "user_low", "user_high")


def conversations_for_user(*, user) -> QuerySet[Conversation]:
    """Every conversation the user is in, with unread_count and last_message_id, latest
    activity (`activity_at`: the last message, else the creation) first."""
    queryset = Conversation.objects.filter(_visible_to(user))
    activity_at = Coalesce("last_message_at", "created_at")
    return (
        _annotate_for(queryset, user)
        .annotate(activity_at=activity_at)
        .order_by("-activity_at", "-id")
    )


def conversation_for_member(*, user, conversation_id: int, annotated: bool = True) -> Conversation:
    """The conversation (with the viewer's unread_count etc. when `annotated`), or NotFound for
    anyone who is not in it."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Conversation not found."))
    queryset = Conversation.objects.filter(_visible_to(user), pk=conversation_id)
    if annotated:
        queryset = _annotate_for(queryset, user)
    conversation = queryset.first()
    if conversation is None:
        raise NotFound(_("Conversation not found."))
    return conversation


def is_participant(*, user, conversation: Conversation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if conversation.kind == Conversation.Kind.GROUP:
        return get_membership(user=user, group_id=conversation.group_pk) is not None
    return user.pk in conversation.direct_pair


def participant_ids(conversation: Conversation) -> list[int]:
    """The two people of a direct conversation."""
    return list(conversation.direct_pair)


def unread_count(*, user, conversation: Conversation) -> int:
    """Messages after the user's read marker that others sent and that are not deleted."""
    last_read = (
        ReadState.objects.filter(conversation=conversation, user=user)
        .values_list("last_read_message_id", flat=True)
        .first()
    ) or 0
    return (
        Message.objects.filter(conversation=conversation, id__gt=last_read, deleted_at__isnull=True)
        .exclude(sender=user)
        .count()
    )


def last_read_message_id(*, user, conversation: Conversation) -> int:
    value = (
        ReadState.objects.filter(conversation=conversation, user=user)
        .values_list("last_read_message_id", flat=True)
        .first()
    )
    return value or 0


def messages_for_conversation(*, conversation: Conversation) -> QuerySet[Message]:
    """A conversation's messages (the caller has checked membership), newest first."""
    return (
        Message.objects.filter(conversation=conversation)
        .select_related(*MESSAGE_RELATED)
        .order_by("-id")
    )


def message_for_member(*, user, message_id: int, for_update: bool = False) -> Message:
    """A message in a conversation the user is in, or NotFound."""
    # Locking joins would lock the conversation and sender rows too; lock the message alone.
    if for_update:
        queryset = Message.objects.select_for_update()
    else:
        queryset = Message.objects.select_related("conversation", *MESSAGE_RELATED)
    message = queryset.filter(pk=message_id).first()
    if message is None or not is_participant(user=user, conversation=message.conversation):
        raise NotFound(_("Message not found."))
    return message


def messages_by_id(ids) -> dict[int, Message]:
    ids = [pk for pk in ids if pk]
    if not ids:
        return {}
    messages = Message.objects.filter(pk__in=ids).select_related(*MESSAGE_RELATED)
    return {m.pk: m for m in messages}


def conversation_topic(conversation: Conversation, *, viewer_id: int) -> str:
    """The topic a client follows for this conversation: the group's, or their own user topic."""
    if conversation.kind == Conversation.Kind.GROUP:
        return topic_for("group", conversation.group_pk)
    return topic_for("user", viewer_id)


def conversation_streams_for_user(*, user) -> dict[str, StreamPosition]:
    """{topic: {"topic", "seq"}} for every topic the user's conversation list depends on, in two
    queries. Read it *before* the list, like `planpal.realtime.selectors.stream_position`."""
    group_ids = Membership.objects.filter(user=user).values_list("group_id", flat=True)
    topics = [topic_for("user", user.pk), *(topic_for("group", gid) for gid in group_ids)]
    return stream_positions(topics)


# ---------------------------------------------------------------------------- attachments
# The "chat.message" attachment kind (planpal.files.attachments, registered in apps.py).
def attachment_visible_to(user_id: int, upload_id: int) -> bool:
    """Whoever is in the conversation now sees a message's file: a removed member, or a
    sender who left, no longer does; a deleted message's file is gone with it."""
    message = (
        Message.objects.filter(attachment_id=upload_id, deleted_at__isnull=True)
        .select_related("conversation")
        .first()
    )
    if message is None:
        return False
    conversation = message.conversation
    if conversation.kind == Conversation.Kind.GROUP:
        return Membership.objects.filter(user_id=user_id, group_id=conversation.group_pk).exists()
    return user_id in conversation.direct_pair


def attachments_in_use(upload_ids) -> set[int]:
    """The uploads some live message shows (the rest are collected by files housekeeping)."""
    return set(
        Message.objects.filter(
            attachment_id__in=list(upload_ids), deleted_at__isnull=True
        ).values_list("attachment_id", flat=True)
    )
