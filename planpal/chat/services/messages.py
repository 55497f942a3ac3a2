"""Writes to messages: sent (text, location, image, file, or a system line), edited, deleted."""

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planpal.accounts.selectors import are_friends
from planpal.chat import selectors
from planpal.chat.models import Conversation, Message
from planpal.chat.services.common import (
    _advance_read_state,
    _clean_text,
    _emit_message,
    _lock,
    _require_participant,
)
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, VersionConflict
from planpal.core.validation import clean_client_id
from planpal.files.services import upload_attach, upload_delete
from planpal.groups.selectors import get_membership

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


def _coordinate(value, *, name: str, limit: int) -> Decimal:
    if value is None:
        raise InvalidInput(
            _("A location message needs lat and lng."),
            fields={name: [_("This field is required.")]},
        )
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not -limit <= number <= limit:
        raise InvalidInput(
            _("%(name)s is out of range.") % {"name": name},
            fields={name: [_("Must be between -%(limit)s and %(limit)s.") % {"limit": limit}]},
        )
    return number.quantize(_MICRODEGREE, rounding=ROUND_HALF_EVEN)


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
            raise Forbidden(_("You can only send messages to friends."), code="not_friends")
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
            raise Forbidden(_("Only the sender can edit a message."))
        if message.deleted_at is not None:
            raise Conflict(_("This message was deleted."), code="message_deleted")
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
            raise Forbidden(_("Only the sender or a group admin can delete a message."))
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
            _("Unknown message kind."),
            fields={"kind": [_("Must be one of: %(kinds)s.") % {"kinds": ", ".join(_KIND_FIELDS)}]},
        )
    for field, value in given.items():
        if value not in (None, "") and field not in allowed:
            raise InvalidInput(
                _("%(field)s does not belong to a %(kind)s message.")
                % {"field": field, "kind": kind},
                fields={field: [_("Not allowed when kind is '%(kind)s'.") % {"kind": kind}]},
            )
    content: dict[str, Any] = {"text": _clean_text(text, required=kind == Message.Kind.TEXT)}
    if kind == Message.Kind.LOCATION:
        content["lat"] = _coordinate(lat, name="lat", limit=90)
        content["lng"] = _coordinate(lng, name="lng", limit=180)
        content["location_name"] = _clean_place_name(location_name)
    elif upload_id is None and "upload" in allowed:
        raise InvalidInput(
            _("A message of kind '%(kind)s' needs an upload.") % {"kind": kind},
            fields={
                "upload": [_("Upload the file first (POST /api/v1/uploads), then send its id.")]
            },
        )
    return content


def _clean_place_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if len(name) > MAX_PLACE_NAME:
        raise InvalidInput(
            _("The place name is too long."),
            fields={"location_name": [_("At most %(max)s characters.") % {"max": MAX_PLACE_NAME}]},
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
            _("You can only reply to a message of this conversation."),
            fields={"reply_to": [_("No such message in this conversation.")]},
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
