"""Every write to conversations and messages: direct conversations, send / edit / delete, read
markers. Each emits its chat event (see planpal.chat.events for topics and payloads)."""

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from planpal.accounts.models import User
from planpal.accounts.selectors import are_friends, canonical_pair
from planpal.chat import selectors
from planpal.chat.events import MESSAGE_EVENTS, READ_EVENTS
from planpal.chat.models import Conversation, Message, ReadState
from planpal.core.events import emit, topic_for
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.validation import clean_client_id
from planpal.files.services import upload_attach, upload_delete
from planpal.groups.selectors import get_membership

MAX_TEXT = 4000
MAX_PLACE_NAME = 200
_MICRODEGREE = Decimal("0.000001")
# What a client may send with each kind besides text (system messages come from the server).
_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Message.Kind.TEXT: (),
    Message.Kind.LOCATION: ("lat", "lng", "location_name"),
    Message.Kind.IMAGE: ("upload",),
    Message.Kind.FILE: ("upload",),
}
# What deleting a message clears.
_CONTENT_FIELDS = ["text", "lat", "lng", "location_name", "attachment"]
# How uploads shown in messages are marked (planpal.files.attachments; registered in apps.py).
ATTACHMENT_KIND = "chat.message"


def conversation_create_for_group(*, group, **_: Any) -> Conversation:
    """The group's conversation is created with the group, in the same transaction (a groups
    hook)."""
    return Conversation.objects.create(kind=Conversation.Kind.GROUP, group=group)


def conversation_delete_for_group(*, group_id: int, **_: Any) -> None:
    """A groups hook, run before the group row goes: on MySQL/MariaDB Django's cascade would set
    the conversation's nullable group_id to NULL before deleting it, which its kind/shape CHECK
    constraint refuses."""
    Conversation.objects.filter(group_id=group_id).delete()


# ---------------------------------------------------------------------------- helpers
def _topics(conversation: Conversation) -> list[str]:
    if conversation.kind == Conversation.Kind.GROUP:
        return [topic_for("group", conversation.group_pk)]
    return [topic_for("user", uid) for uid in selectors.participant_ids(conversation)]


def _emit_message(message: Message, what: str, *, actor, client_id: str | None = None) -> None:
    conversation = message.conversation
    event = MESSAGE_EVENTS[(conversation.kind, what)].from_message(message)
    for topic in _topics(conversation):
        emit(event, topic=topic, actor=actor, client_id=client_id)


def _require_participant(actor, conversation: Conversation) -> None:
    if not selectors.is_participant(user=actor, conversation=conversation):
        raise NotFound("Conversation not found.")


def _lock(conversation: Conversation) -> None:
    """Take the conversation's row lock first. Writes that insert messages or read markers and
    then touch the conversation and its topic would otherwise deadlock on MySQL/MariaDB (each
    insert holds a shared lock on the parent row that the other's UPDATE waits for). Lock order
    everywhere: conversation row, read state / message rows, then the topic's sequence."""
    list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk"))


def _clean_text(text: str | None, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise InvalidInput(
            "A text message needs text.", fields={"text": ["This field is required."]}
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            "The text is too long.",
            fields={"text": [f"Ensure this field has no more than {MAX_TEXT} characters."]},
        )
    return text


def _coordinate(value, *, name: str, limit: int) -> Decimal:
    if value is None:
        raise InvalidInput(
            "A location message needs lat and lng.", fields={name: ["This field is required."]}
        )
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not -limit <= number <= limit:
        raise InvalidInput(
            f"{name} is out of range.", fields={name: [f"Must be between -{limit} and {limit}."]}
        )
    return number.quantize(_MICRODEGREE, rounding=ROUND_HALF_EVEN)


def _advance_read_state(*, conversation: Conversation, user, message_id: int) -> bool:
    """Move the user's read marker forward to message_id; never backwards. True if it moved."""
    now = timezone.now()
    moved = ReadState.objects.filter(
        conversation=conversation, user=user, last_read_message_id__lt=message_id
    ).update(last_read_message_id=message_id, updated_at=now)
    if moved:
        return True
    if ReadState.objects.filter(conversation=conversation, user=user).exists():
        return False
    try:
        with transaction.atomic():
            ReadState.objects.create(
                conversation=conversation, user=user, last_read_message_id=message_id
            )
        return True
    except IntegrityError:
        # Another device of the same user created it first; move it forward if still behind.
        return bool(
            ReadState.objects.filter(
                conversation=conversation, user=user, last_read_message_id__lt=message_id
            ).update(last_read_message_id=message_id, updated_at=now)
        )


# ---------------------------------------------------------------------------- conversations
def direct_conversation_get_or_create(*, actor, other_user_id: int) -> tuple[Conversation, bool]:
    """The direct conversation between the actor and a friend; created on first use."""
    if other_user_id == actor.pk:
        raise InvalidInput(
            "You cannot start a conversation with yourself.",
            fields={"user": ["Choose someone other than yourself."]},
        )
    if not User.objects.filter(pk=other_user_id, is_active=True).exists():
        raise InvalidInput("No user with this id.", fields={"user": ["No user with this id."]})
    if not are_friends(actor.pk, other_user_id):
        raise Forbidden("You can only message friends.", code="not_friends")
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


# ---------------------------------------------------------------------------- messages
def message_send(
    *,
    actor,
    conversation: Conversation,
    kind: str = Message.Kind.TEXT,
    text: str | None = None,
    lat=None,
    lng=None,
    location_name: str | None = None,
    upload_id: int | None = None,
    reply_to_id: int | None = None,
    client_id: str | None = None,
) -> tuple[Message, bool]:
    """Send a text, location, image or file message (the last two show an upload of the
    actor's that nothing shows yet). Idempotent by client_id: a retry returns the first message
    with created=False and emits nothing."""
    with transaction.atomic():
        _require_participant(actor, conversation)
        _lock(conversation)
        client_id = clean_client_id(client_id)
        if client_id is not None:
            existing = _existing_send(conversation, actor, client_id)
            if existing is not None:
                return existing, False
        content = _clean_content(kind, text, lat, lng, location_name, upload_id)
        original = _check_reply(conversation, reply_to_id)
        if _direct_and_not_friends(conversation):
            raise Forbidden("You can only send messages to friends.", code="not_friends")
        if upload_id is not None:
            content["attachment"] = upload_attach(
                actor=actor, upload_id=upload_id, attach_as=ATTACHMENT_KIND, kind=kind
            )

        try:
            with transaction.atomic():
                message = Message.objects.create(
                    conversation=conversation,
                    sender=actor,
                    kind=kind,
                    reply_to=original,
                    client_id=client_id,
                    **content,
                )
        except IntegrityError:
            # A concurrent retry with the same client_id inserted first.
            existing = _existing_send(conversation, actor, client_id) if client_id else None
            if existing is None:
                raise
            return existing, False

        message.conversation = conversation
        _record_activity(message)
        _advance_read_state(conversation=conversation, user=actor, message_id=message.pk)
        _emit_message(message, "sent", actor=actor, client_id=client_id)
        return message, True


def message_post_system(*, conversation: Conversation, text: str) -> Message:
    """A system line ("Alice added Bob") posted by another app inside its own transaction.
    Call it *before* emitting your own events on the group's topic: the conversation row is
    locked before the topic's sequence everywhere, so the other order could deadlock."""
    with transaction.atomic():
        _lock(conversation)
        message = Message.objects.create(
            conversation=conversation,
            sender=None,
            kind=Message.Kind.SYSTEM,
            text=_clean_text(text, required=True),
        )
        message.conversation = conversation
        _record_activity(message)
        _emit_message(message, "sent", actor=None)
        return message


def message_edit(
    *, actor, message_id: int, text: str | None, version: int | None = None
) -> Message:
    """Change a message's text. Only its sender may; a deleted message cannot be edited. With
    `version`, only if the message is still at that version (another device edited it)."""
    with transaction.atomic():
        message = selectors.message_for_member(user=actor, message_id=message_id, for_update=True)
        if message.sender_id != actor.pk:
            raise Forbidden("Only the sender can edit a message.")
        if message.deleted_at is not None:
            raise Conflict("This message was deleted.", code="message_deleted")
        _require_version(message, version)
        text = _clean_text(text, required=message.kind == Message.Kind.TEXT)
        if text == message.text:
            return message
        message.text = text
        message.edited_at = timezone.now()
        message.version += 1
        message.save(update_fields=["text", "edited_at", "version"])
        _emit_message(message, "edited", actor=actor)
        return message


def message_delete(*, actor, message_id: int, version: int | None = None) -> Message:
    """Soft-delete: the row stays (replies and read markers point at it), its content goes.
    The sender may delete, and so may the group's owners and admins. Deleting twice is a no-op.
    With `version`, only if nobody edited the message since (an admin deletes what they saw)."""
    with transaction.atomic():
        message = selectors.message_for_member(user=actor, message_id=message_id, for_update=True)
        if message.sender_id != actor.pk and not _manages_group(actor, message.conversation):
            raise Forbidden("Only the sender or a group admin can delete a message.")
        if message.deleted_at is not None:
            return message
        _require_version(message, version)
        attachment = message.attachment
        message.deleted_at = timezone.now()
        message.text = message.location_name = ""
        message.lat = message.lng = message.attachment = None
        message.version += 1
        message.save(update_fields=[*_CONTENT_FIELDS, "deleted_at", "version"])
        if attachment is not None:
            # The file goes with the message: nobody may see it any more, so nobody keeps it.
            upload_delete(upload=attachment)
        _emit_message(message, "deleted", actor=actor)
        return message


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
                "That message is not in this conversation.",
                fields={"message_id": ["No such message in this conversation."]},
            )
        if _advance_read_state(conversation=conversation, user=actor, message_id=message_id):
            event = READ_EVENTS[conversation.kind](
                conversation_id=conversation.pk, user_id=actor.pk, last_read_message_id=message_id
            )
            for topic in _topics(conversation):
                emit(event, topic=topic, actor=actor)
        return selectors.last_read_message_id(user=actor, conversation=conversation)


# ---------------------------------------------------------------------------- private
def _require_version(message: Message, version: int | None) -> None:
    if version is not None and version != message.version:
        raise VersionConflict(message)


def _clean_content(kind: str, text, lat, lng, location_name, upload_id) -> dict:
    """The content fields of a client's message: text needs text, location needs coordinates
    (and may name the place), image and file need an upload; each kind refuses the others'."""
    given = {"lat": lat, "lng": lng, "location_name": location_name, "upload": upload_id}
    allowed = _KIND_FIELDS.get(kind)
    if allowed is None:
        raise InvalidInput(
            "Unknown message kind.",
            fields={"kind": [f"Must be one of: {', '.join(_KIND_FIELDS)}."]},
        )
    for field, value in given.items():
        if value not in (None, "") and field not in allowed:
            raise InvalidInput(
                f"{field} does not belong to a {kind} message.",
                fields={field: [f"Not allowed when kind is '{kind}'."]},
            )
    content: dict[str, Any] = {"text": _clean_text(text, required=kind == Message.Kind.TEXT)}
    if kind == Message.Kind.LOCATION:
        content["lat"] = _coordinate(lat, name="lat", limit=90)
        content["lng"] = _coordinate(lng, name="lng", limit=180)
        content["location_name"] = _clean_place_name(location_name)
    elif upload_id is None and "upload" in allowed:
        raise InvalidInput(
            f"{kind.capitalize()} messages need an upload.",
            fields={"upload": ["Upload the file first (POST /api/v1/uploads), then send its id."]},
        )
    return content


def _clean_place_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if len(name) > MAX_PLACE_NAME:
        raise InvalidInput(
            "The place name is too long.",
            fields={"location_name": [f"At most {MAX_PLACE_NAME} characters."]},
        )
    return name


def _check_reply(conversation: Conversation, reply_to_id: int | None) -> Message | None:
    """The message replied to, which must be of this conversation (a deleted one may be
    quoted: it shows as deleted)."""
    if reply_to_id is None:
        return None
    original = (
        Message.objects.filter(pk=reply_to_id, conversation=conversation)
        .select_related("sender", "attachment")
        .first()
    )
    if original is None:
        raise InvalidInput(
            "You can only reply to a message of this conversation.",
            fields={"reply_to": ["No such message in this conversation."]},
        )
    return original


def _existing_send(conversation: Conversation, sender, client_id: str) -> Message | None:
    return (
        Message.objects.filter(conversation=conversation, sender=sender, client_id=client_id)
        .select_related(*selectors.MESSAGE_RELATED)
        .first()
    )


def _record_activity(message: Message) -> None:
    Conversation.objects.filter(pk=message.conversation_id).update(
        last_message_at=message.created_at
    )
    message.conversation.last_message_at = message.created_at


def _direct_and_not_friends(conversation: Conversation) -> bool:
    if conversation.kind != Conversation.Kind.DIRECT:
        return False
    return not are_friends(*conversation.direct_pair)


def _manages_group(actor, conversation: Conversation) -> bool:
    if conversation.kind != Conversation.Kind.GROUP:
        return False
    membership = get_membership(user=actor, group_id=conversation.group_pk)
    return membership is not None and membership.is_manager
