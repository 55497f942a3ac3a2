"""Chat input serializers (shape and types only; rules live in the services) and output ones."""

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planpal.accounts.serializers import PublicUserSerializer
from planpal.chat.models import Conversation, Message
from planpal.chat.selectors import conversation_topic, messages_by_id
from planpal.chat.services import MAX_PLACE_NAME, MAX_TEXT

if TYPE_CHECKING:
    from planpal.chat.selectors import ListedConversation
from planpal.core.serializers import (
    StreamSerializer,
    StrictCharField,
    client_id_field,
    id_field,
    stream_from,
    version_field,
)
from planpal.files.serializers import AttachmentSerializer


class CoordinateField(serializers.FloatField):
    """A finite number (true/false are not coordinates)."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------- output
class ReplySummarySerializer(serializers.Serializer):
    """The message a reply quotes (planpal.chat.events.ReplySummary)."""

    id = serializers.IntegerField(read_only=True)
    sender = PublicUserSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Message.Kind.choices, read_only=True)
    text = serializers.CharField(
        source="preview",
        read_only=True,
        help_text="Its text, else the place's or file's name (at most 140 characters); "
        "empty once deleted.",
    )
    deleted = serializers.SerializerMethodField()

    def get_deleted(self, message: Message) -> bool:
        return message.deleted_at is not None


class MessageOutputSerializer(serializers.Serializer):
    """The message as REST returns it and as the chat events carry it (planpal.chat.events)."""

    id = serializers.IntegerField(read_only=True)
    conversation_id = serializers.IntegerField(read_only=True)
    sender = PublicUserSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Message.Kind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    lat = serializers.FloatField(read_only=True, allow_null=True)
    lng = serializers.FloatField(read_only=True, allow_null=True)
    location_name = serializers.CharField(read_only=True)
    attachment = AttachmentSerializer(
        read_only=True,
        allow_null=True,
        help_text="The image or file, without a URL: GET uploads/{id}/content redirects a "
        "member to a fresh signed one.",
    )
    reply_to = serializers.IntegerField(source="reply_to_id", read_only=True, allow_null=True)
    reply_summary = ReplySummarySerializer(source="reply_to", read_only=True, allow_null=True)
    client_id = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    deleted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class ConversationOutputSerializer(serializers.Serializer):
    """A conversation from the viewer's side. Context: `request`, `streams` ({topic: {"topic",
    "seq"}}, read before the snapshot) and optionally `last_messages` ({id: Message})."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Conversation.Kind.choices, read_only=True)
    group = serializers.IntegerField(source="group_id", read_only=True, allow_null=True)
    title = serializers.SerializerMethodField()
    other_user = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    last_message_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_message = serializers.SerializerMethodField()
    unread_count = serializers.IntegerField(read_only=True)
    last_read_message_id = serializers.IntegerField(
        source="my_last_read_message_id", read_only=True
    )
    stream = serializers.SerializerMethodField()

    def _viewer_id(self) -> int:
        return self.context["request"].user.pk

    def _other(self, conversation: Conversation):
        if conversation.kind != Conversation.Kind.DIRECT:
            return None
        if conversation.user_low_id == self._viewer_id():
            return conversation.user_high
        return conversation.user_low

    def get_title(self, conversation: Conversation) -> str:
        group = conversation.group
        if group is not None:  # conversation_kind_shape: exactly the group conversations
            return group.name
        return self._other(conversation).public_name

    @extend_schema_field(PublicUserSerializer(allow_null=True))
    def get_other_user(self, conversation: Conversation):
        other = self._other(conversation)
        return None if other is None else PublicUserSerializer(other).data

    @extend_schema_field(MessageOutputSerializer(allow_null=True))
    def get_last_message(self, conversation: "ListedConversation"):
        if conversation.last_message_id is None:
            return None
        message = self.context.get("last_messages", {}).get(conversation.last_message_id)
        if message is None:
            message = messages_by_id([conversation.last_message_id])[conversation.last_message_id]
        return MessageOutputSerializer(message).data

    @extend_schema_field(StreamSerializer)
    def get_stream(self, conversation: Conversation) -> dict:
        topic = conversation_topic(conversation, viewer_id=self._viewer_id())
        return stream_from(self.context, topic)


class ReadStateOutputSerializer(serializers.Serializer):
    conversation_id = serializers.IntegerField()
    last_read_message_id = serializers.IntegerField()
    unread_count = serializers.IntegerField()


# ---------------------------------------------------------------------------- input
class ConversationCreateInputSerializer(serializers.Serializer):
    user = id_field(help_text="The friend to talk to.")


class MessageCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            Message.Kind.TEXT,
            Message.Kind.LOCATION,
            Message.Kind.IMAGE,
            Message.Kind.FILE,
        ],
        default=Message.Kind.TEXT,
    )
    text = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT,
        help_text="Required for text messages; a caption for the other kinds.",
    )
    lat = CoordinateField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = CoordinateField(required=False, allow_null=True, min_value=-180, max_value=180)
    location_name = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_PLACE_NAME, help_text="Location only."
    )
    upload = id_field(
        required=False,
        allow_null=True,
        help_text="Image and file messages: your upload (POST uploads) that no message shows yet.",
    )
    reply_to = id_field(required=False, allow_null=True)
    client_id = client_id_field()


class MessageEditInputSerializer(serializers.Serializer):
    text = StrictCharField(allow_blank=True, max_length=MAX_TEXT)
    version = version_field(
        required=False,
        help_text="The version you last saw: 409 with the current message if it changed since.",
    )


class MarkReadInputSerializer(serializers.Serializer):
    message_id = id_field(
        required=False, allow_null=True, help_text="Defaults to the conversation's latest message."
    )
