"""chat API routes."""

from django.urls import path

from planpal.chat import api

urlpatterns = [
    path("conversations", api.ConversationListCreateApi.as_view(), name="conversation-list"),
    path(
        "conversations/<int:conversation_id>",
        api.ConversationDetailApi.as_view(),
        name="conversation-detail",
    ),
    path(
        "conversations/<int:conversation_id>/messages",
        api.MessageListCreateApi.as_view(),
        name="conversation-messages",
    ),
    path(
        "conversations/<int:conversation_id>/read",
        api.ConversationReadApi.as_view(),
        name="conversation-read",
    ),
    path("messages/<int:message_id>", api.MessageDetailApi.as_view(), name="message-detail"),
]
