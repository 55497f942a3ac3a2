"""Chat events: messages sent, edited, deleted and read, as typed payloads.

Topics. A group conversation's events go to the group's topic, `group:<group_id>`, under the
`group.*` names of the design (`group.message_sent`, `group.message_edited`,
`group.message_deleted`, `group.messages_read`): every member follows that topic already.

A direct conversation has no group topic, and inventing a `conversation:<id>` topic would add a
topic prefix, an authoriser and a subscription per friend to every device. Instead each direct
event is written to *both* participants' own topics, `user:<low_id>` and `user:<high_id>`, under
`direct.*` names (`direct.message_sent`, `direct.message_edited`, `direct.message_deleted`,
`direct.messages_read`). Every connection is subscribed to its own user topic, so both people — on
all their devices — receive the change in order and can replay it with `since`; a third party can
never receive it. The two rows have independent seqs (one per topic) but identical payloads.

Payloads. The message events carry the serialised message, exactly as the REST API returns it
(`id`, `conversation_id`, `sender` {id, username, display_name, avatar_url} or null for system
messages, `kind`, `text`, `lat`, `lng`, `location_name`, `attachment`, `reply_to`,
`reply_summary`, `client_id`, `created_at`, `edited_at`, `deleted_at`, `version`), so a client
applies an event without a refetch. A deleted message arrives with `deleted_at` set and its
content (text, place, attachment) cleared. `attachment` describes the upload and never carries a
URL (docs/files.md: payloads are stored and replayed, signed URLs expire). `reply_summary` is
what a reply quotes, as it was when the event was written: a client updates the quotes of
replies when the original's edit or deletion arrives. The read events carry
{conversation_id, user_id, last_read_message_id}.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from planpal.accounts.events import PublicUser
from planpal.core.events import DomainEvent
from planpal.files.events import AttachmentData


class ReplySummary(BaseModel):
    """The message a reply quotes: who, what kind, a preview line (Message.preview)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    sender: PublicUser | None
    kind: str
    text: str
    deleted: bool

    @classmethod
    def of(cls, message) -> "ReplySummary":
        sender = message.sender
        return cls(
            id=message.pk,
            sender=None if sender is None else PublicUser.of(sender),
            kind=message.kind,
            text=message.preview,
            deleted=message.deleted_at is not None,
        )


class _MessageEvent(DomainEvent):
    """The serialised message (see `planpal.chat.serializers.MessageOutputSerializer`)."""

    id: int
    conversation_id: int
    sender: PublicUser | None
    kind: str
    text: str
    lat: float | None
    lng: float | None
    location_name: str
    attachment: AttachmentData | None
    reply_to: int | None
    reply_summary: ReplySummary | None
    client_id: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    version: int

    @classmethod
    def from_message(cls, message) -> "_MessageEvent":
        sender, attachment, original = message.sender, message.attachment, message.reply_to
        return cls(
            id=message.pk,
            conversation_id=message.conversation_id,
            sender=None if sender is None else PublicUser.of(sender),
            kind=message.kind,
            text=message.text,
            lat=None if message.lat is None else float(message.lat),
            lng=None if message.lng is None else float(message.lng),
            location_name=message.location_name,
            attachment=None if attachment is None else AttachmentData.of(attachment),
            reply_to=message.reply_to_id,
            reply_summary=None if original is None else ReplySummary.of(original),
            client_id=message.client_id,
            created_at=message.created_at,
            edited_at=message.edited_at,
            deleted_at=message.deleted_at,
            version=message.version,
        )


class _MessagesReadEvent(DomainEvent):
    conversation_id: int
    user_id: int
    last_read_message_id: int


# ---------------------------------------------------------------- group conversations: group:<id>
class GroupMessageSent(_MessageEvent):
    name = "group.message_sent"


class GroupMessageEdited(_MessageEvent):
    name = "group.message_edited"


class GroupMessageDeleted(_MessageEvent):
    name = "group.message_deleted"


class GroupMessagesRead(_MessagesReadEvent):
    name = "group.messages_read"


# ---------------------------------------------------- direct conversations: both user:<id> topics
class DirectMessageSent(_MessageEvent):
    name = "direct.message_sent"


class DirectMessageEdited(_MessageEvent):
    name = "direct.message_edited"


class DirectMessageDeleted(_MessageEvent):
    name = "direct.message_deleted"


class DirectMessagesRead(_MessagesReadEvent):
    name = "direct.messages_read"


# Event class per (conversation kind, what happened); services pick from here.
MESSAGE_EVENTS: dict[tuple[str, str], type[_MessageEvent]] = {
    ("group", "sent"): GroupMessageSent,
    ("group", "edited"): GroupMessageEdited,
    ("group", "deleted"): GroupMessageDeleted,
    ("direct", "sent"): DirectMessageSent,
    ("direct", "edited"): DirectMessageEdited,
    ("direct", "deleted"): DirectMessageDeleted,
}
READ_EVENTS: dict[str, type[_MessagesReadEvent]] = {
    "group": GroupMessagesRead,
    "direct": DirectMessagesRead,
}
