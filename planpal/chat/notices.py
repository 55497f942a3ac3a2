"""Who hears about chat events outside the app (registered with `planpal.core.notices`).

A message notifies the conversation's other members; its notifications collapse per
conversation (`chat:<conversation id>`). Edits and deletions re-quote the notification of the
message; reading a conversation (or writing in it) reads its notification on every device.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.selectors import public_name_of
from planpal.chat.events import (
    DirectMessageDeleted,
    DirectMessageEdited,
    DirectMessageSent,
    DirectMessagesRead,
    GroupMessageDeleted,
    GroupMessageEdited,
    GroupMessageSent,
    GroupMessagesRead,
)
from planpal.core.notices import Notice, ReadUpTo, Requote, Text, Upkeep, register
from planpal.groups.models import Group
from planpal.groups.selectors import member_ids


def _collapse_key(event) -> str:
    return f"chat:{event.conversation_id}"


QUOTED = 300  # characters of a message quoted in its notification


def _quote(event) -> Text:
    sender = (event.sender.display_name or event.sender.username) if event.sender else None
    return format_lazy("{sender}: {says}", sender=sender or _("Someone"), says=_says(event))


def _says(event) -> Text:
    """The text, or what was shared (with its caption) for the kinds that show something."""
    if event.deleted_at is not None:
        return _("(message deleted)")
    text = event.text[:QUOTED]
    if event.kind == "location":
        shared = (
            format_lazy(_("shared a location: {place}"), place=event.location_name)
            if event.location_name
            else _("shared a location")
        )
    elif event.kind == "image":
        shared = _("sent a photo")
    elif event.kind == "file":
        shared = (
            format_lazy(_("sent a file: {name}"), name=event.attachment.name)
            if event.attachment
            else _("sent a file")
        )
    else:
        return text
    return format_lazy("{shared} — {text}", shared=shared, text=text) if text else shared


def _sender_has_read(event, actor_id: int | None) -> list[Upkeep]:
    """Writing in a conversation means having read it."""
    if actor_id is None:
        return []
    return [ReadUpTo(user_id=actor_id, collapse_key=_collapse_key(event), message_id=event.id)]


def group_message_sent(event: GroupMessageSent, topic: str, actor_id: int | None) -> list[Upkeep]:
    group_id = int(topic.partition(":")[2])
    notice = Notice(
        kind="chat.message",
        recipients=member_ids(group_id=group_id),
        title=Group.objects.values_list("name", flat=True).get(pk=group_id),
        body=_quote(event),
        data={
            "conversation_id": event.conversation_id,
            "message_id": event.id,
            "group_id": group_id,
        },
        group_id=group_id,
        collapse_key=_collapse_key(event),
    )
    return [notice, *_sender_has_read(event, actor_id)]


def direct_message_sent(event: DirectMessageSent, topic: str, actor_id: int | None) -> list:
    """From the recipient's copy (the sender's own copy tells nobody)."""
    recipient = int(topic.partition(":")[2])
    if recipient == actor_id:
        return []
    notice = Notice(
        kind="chat.message",
        recipients=[recipient],
        title=public_name_of(actor_id),
        body=_quote(event),
        data={"conversation_id": event.conversation_id, "message_id": event.id},
        collapse_key=_collapse_key(event),
    )
    return [notice, *_sender_has_read(event, actor_id)]


def message_revised(event, topic: str, actor_id: int | None) -> list[Upkeep]:
    """Edits and deletions; a direct one from the actor's copy only."""
    if topic.startswith("user:") and topic != f"user:{actor_id}":
        return []
    return [Requote(collapse_key=_collapse_key(event), message_id=event.id, body=_quote(event))]


def messages_read(event, topic: str, actor_id: int | None) -> list[Upkeep]:
    """Reading a conversation on any device clears its chat notification everywhere."""
    if event.user_id != actor_id:
        return []
    return [
        ReadUpTo(
            user_id=event.user_id,
            collapse_key=_collapse_key(event),
            message_id=event.last_read_message_id,
        )
    ]


def register_all() -> None:
    register(GroupMessageSent, group_message_sent)
    register(DirectMessageSent, direct_message_sent)
    revisions = (GroupMessageEdited, GroupMessageDeleted, DirectMessageEdited, DirectMessageDeleted)
    for revised in revisions:
        register(revised, message_revised)
    register(GroupMessagesRead, messages_read)
    register(DirectMessagesRead, messages_read)
