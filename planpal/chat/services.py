"""Every write to conversations and messages."""

from planpal.chat.models import Conversation


def conversation_create_for_group(*, group) -> Conversation:
    """The group's conversation is created with the group, in the same transaction."""
    return Conversation.objects.create(kind=Conversation.Kind.GROUP, group=group)
