"""What the chat writes share: the conversation's lock and topics, its events, text rules, read
markers."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planpal.chat import selectors
from planpal.chat.events import MESSAGE_EVENTS
from planpal.chat.models import Conversation, Message, ReadState
from planpal.core.events import emit, topic_for
from planpal.core.exceptions import InvalidInput, NotFound

MAX_TEXT = 4000


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
        raise NotFound(_("Conversation not found."))


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
            _("A text message needs text."), fields={"text": [_("This field is required.")]}
        )
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("The text is too long."),
            fields={
                "text": [
                    _("Ensure this field has no more than %(max)s characters.") % {"max": MAX_TEXT}
                ]
            },
        )
    return text


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
