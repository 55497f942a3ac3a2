"""Every write to conversations and messages: direct conversations and read markers
(services/conversations.py), send / edit / delete (services/messages.py); this package names them
all. Each emits its chat event (see planpal.chat.events for topics and payloads).
"""

from planpal.chat.services.common import MAX_TEXT
from planpal.chat.services.conversations import (
    conversation_create_for_group,
    conversation_delete_for_group,
    conversation_mark_read,
    direct_conversation_get_or_create,
)
from planpal.chat.services.messages import (
    ATTACHMENT_KIND,
    MAX_PLACE_NAME,
    message_delete,
    message_edit,
    message_post_system,
    message_send,
)

__all__ = [
    "ATTACHMENT_KIND",
    "MAX_PLACE_NAME",
    "MAX_TEXT",
    "conversation_create_for_group",
    "conversation_delete_for_group",
    "conversation_mark_read",
    "direct_conversation_get_or_create",
    "message_delete",
    "message_edit",
    "message_post_system",
    "message_send",
]
