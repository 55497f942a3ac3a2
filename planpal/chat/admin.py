"""Chat in the admin: browse only. Messages and read markers produce events, so they change
through the chat services, never here."""

from django.contrib import admin

from planpal.chat.models import Conversation, Message, ReadState
from planpal.core.admin import ReadOnlyAdmin


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "group", "user_low", "user_high", "last_message_at")
    list_filter = ("kind",)
    raw_id_fields = ("group", "user_low", "user_high")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "sender", "kind", "created_at", "edited_at", "deleted_at")
    list_filter = ("kind",)
    list_select_related = ("sender",)
    raw_id_fields = ("conversation", "sender", "reply_to", "attachment")
    search_fields = ("text", "client_id")


@admin.register(ReadState)
class ReadStateAdmin(ReadOnlyAdmin):
    list_display = ("conversation", "user", "last_read_message_id", "updated_at")
    raw_id_fields = ("conversation", "user")
