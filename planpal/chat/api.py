"""Chat REST views: conversations, messages (cursor-paginated, newest first), read markers."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.chat import selectors, services
from planpal.chat.models import Conversation, Message
from planpal.chat.serializers import (
    ConversationCreateInputSerializer,
    ConversationOutputSerializer,
    MarkReadInputSerializer,
    MessageCreateInputSerializer,
    MessageEditInputSerializer,
    MessageOutputSerializer,
    ReadStateOutputSerializer,
)
from planpal.core.api import VERSION_PARAMETERS, conflicts_show, expected_version, validated
from planpal.core.pagination import ConversationPagination, StreamCursorPagination
from planpal.core.schema import CONFLICT, IDEMPOTENCY_KEY
from planpal.realtime.selectors import StreamPosition, stream_position, stream_positions


def _conversation_response(request, conversation: Conversation, *, status_code=200) -> Response:
    """Read the stream head, then the snapshot (so a client subscribing `since` misses nothing)."""
    topic = selectors.conversation_topic(conversation, viewer_id=request.user.pk)
    streams = {topic: stream_position(topic)}
    snapshot = selectors.conversation_for_member(user=request.user, conversation_id=conversation.pk)
    context = {"request": request, "streams": streams}
    return Response(ConversationOutputSerializer(snapshot, context=context).data, status_code)


def _conversation(request, conversation_id: int) -> Conversation:
    return selectors.conversation_for_member(
        user=request.user, conversation_id=conversation_id, annotated=False
    )


class ConversationListCreateApi(GenericAPIView):
    queryset = Conversation.objects.none()
    serializer_class = ConversationOutputSerializer
    pagination_class = ConversationPagination

    @extend_schema(
        summary="My conversations (group and direct), latest activity first (keyset cursor)",
        responses=ConversationOutputSerializer(many=True),
    )
    def get(self, request):
        paginator = ConversationPagination()
        streams, page = self._page(request, paginator)
        last_messages = selectors.messages_by_id(c.last_message_id for c in page)
        context = {"request": request, "streams": streams, "last_messages": last_messages}
        data = ConversationOutputSerializer(page, many=True, context=context).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary="Open the direct conversation with a friend",
        request=ConversationCreateInputSerializer,
        responses={201: ConversationOutputSerializer, 200: ConversationOutputSerializer},
    )
    def post(self, request):
        payload = validated(ConversationCreateInputSerializer, request.data)
        conversation, created = services.direct_conversation_get_or_create(
            actor=request.user, other_user_id=payload["user"]
        )
        return _conversation_response(request, conversation, status_code=201 if created else 200)

    def _page(self, request, paginator) -> tuple[dict[str, StreamPosition], list]:
        """The streams, then the page. A group joined after its stream was read (none was) has
        its head read and the page is read again, so every stream still precedes its snapshot."""
        streams = selectors.conversation_streams_for_user(user=request.user)
        for _ in range(3):
            conversations = selectors.conversations_for_user(user=request.user)
            page = paginator.paginate_queryset(conversations, request, view=self)
            topics = {selectors.conversation_topic(c, viewer_id=request.user.pk) for c in page}
            missing = topics - streams.keys()
            if not missing:
                break
            streams |= stream_positions(sorted(missing))
        return streams, page


class ConversationDetailApi(APIView):
    @extend_schema(summary="One conversation", responses=ConversationOutputSerializer)
    def get(self, request, conversation_id: int):
        return _conversation_response(request, _conversation(request, conversation_id))


class MessagePagination(StreamCursorPagination):
    """Newest first; the page also carries the conversation's `stream`, read before the page."""


class MessageListCreateApi(GenericAPIView):
    queryset = Message.objects.none()
    serializer_class = MessageOutputSerializer
    pagination_class = MessagePagination

    @extend_schema(
        summary="A conversation's messages, newest first (cursor pagination)",
        responses=MessageOutputSerializer(many=True),
    )
    def get(self, request, conversation_id: int):
        conversation = _conversation(request, conversation_id)
        paginator = MessagePagination()
        paginator.stream = stream_position(
            selectors.conversation_topic(conversation, viewer_id=request.user.pk)
        )
        messages = selectors.messages_for_conversation(conversation=conversation)
        page = paginator.paginate_queryset(messages, request, view=self)
        return paginator.get_paginated_response(MessageOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Send a text, location, image or file message (idempotent by client_id)",
        parameters=[IDEMPOTENCY_KEY],
        request=MessageCreateInputSerializer,
        responses={201: MessageOutputSerializer, 200: MessageOutputSerializer},
    )
    def post(self, request, conversation_id: int):
        conversation = _conversation(request, conversation_id)
        data = validated(MessageCreateInputSerializer, request.data)
        client_id = data.get("client_id") or request.headers.get("Idempotency-Key")
        message, created = services.message_send(
            actor=request.user,
            conversation=conversation,
            kind=data["kind"],
            text=data.get("text"),
            lat=data.get("lat"),
            lng=data.get("lng"),
            location_name=data.get("location_name"),
            upload_id=data.get("upload"),
            reply_to_id=data.get("reply_to"),
            client_id=client_id,
        )
        return Response(MessageOutputSerializer(message).data, 201 if created else 200)


class MessageDetailApi(APIView):
    @extend_schema(
        summary="Edit a message's text (sender only)",
        request=MessageEditInputSerializer,
        responses={200: MessageOutputSerializer, 409: CONFLICT},
    )
    def patch(self, request, message_id: int):
        payload = validated(MessageEditInputSerializer, request.data)
        with conflicts_show(MessageOutputSerializer):
            message = services.message_edit(
                actor=request.user,
                message_id=message_id,
                text=payload["text"],
                version=payload.get("version"),
            )
        return Response(MessageOutputSerializer(message).data)

    @extend_schema(
        summary="Delete a message (sender, or a group owner/admin); returns the tombstone",
        request=None,
        parameters=VERSION_PARAMETERS,
        responses={200: MessageOutputSerializer, 409: CONFLICT},
    )
    def delete(self, request, message_id: int):
        version = expected_version(request)
        with conflicts_show(MessageOutputSerializer):
            message = services.message_delete(
                actor=request.user, message_id=message_id, version=version
            )
        return Response(MessageOutputSerializer(message).data, status.HTTP_200_OK)


class ConversationReadApi(APIView):
    @extend_schema(
        summary="Mark read up to a message (default: the latest); never moves backwards",
        request=MarkReadInputSerializer,
        responses=ReadStateOutputSerializer,
    )
    def post(self, request, conversation_id: int):
        conversation = _conversation(request, conversation_id)
        payload = validated(MarkReadInputSerializer, request.data)
        last_read = services.conversation_mark_read(
            actor=request.user,
            conversation=conversation,
            message_id=payload.get("message_id"),
        )
        body = {
            "conversation_id": conversation.pk,
            "last_read_message_id": last_read,
            "unread_count": selectors.unread_count(user=request.user, conversation=conversation),
        }
        return Response(ReadStateOutputSerializer(body).data)
