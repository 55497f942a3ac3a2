"""The activity feed: a topic's event log over REST, newest first (or everything after `since`,
oldest first), cursor-paginated, each item with a human summary (realtime/summaries.py).

Domain apps expose it for their resources by subclassing `TopicFeedApi` and saying which topic
a request may read (raising NotFound for non-members). Chat and read receipts are not part of
the feed (no summary is registered for them): conversations have their own history endpoint,
where edits and deletions are applied.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.pagination import StreamCursorPagination
from planpal.realtime import users
from planpal.realtime.frames import iso_ms
from planpal.realtime.models import Event
from planpal.realtime.selectors import stream_position
from planpal.realtime.summaries import Names, summarise, summarised_names, user_ids_in, users_of


class FeedQuerySerializer(serializers.Serializer[Any]):
    since = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="Only events after this seq, oldest first (default: newest first).",
    )


class FeedItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    topic = serializers.CharField(read_only=True)
    seq = serializers.IntegerField(read_only=True)
    event = serializers.CharField(read_only=True)
    ts = serializers.CharField(read_only=True)
    actor = serializers.DictField(allow_null=True, read_only=True)  # replaced in get_fields
    summary = serializers.CharField(read_only=True)
    # The JSON key is "data"; DRF's metaclass moves declared fields out of the class, so the field
    # does not hide Serializer.data, but the stubs cannot know.
    data = serializers.JSONField(read_only=True)  # type: ignore[assignment]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """`actor` is the accounts app's public user: its serializer is registered with
        realtime.users (realtime imports no domain app)."""
        fields = super().get_fields()
        fields["actor"] = users.accounts().public_serializer(allow_null=True, read_only=True)
        return fields


def feed_events(topic: str, *, since: int | None = None) -> QuerySet[Event]:
    rows = Event.objects.filter(topic=topic, name__in=summarised_names())
    return rows.filter(seq__gt=since) if since is not None else rows


def feed_items(rows: list[Event]) -> list[dict[str, Any]]:
    """The page's events with summaries and actors (one query for every user on the page)."""
    people = users_of(pk for row in rows for pk in user_ids_in(row.actor_id, row.payload))
    names = Names(people)
    return [
        {
            "id": row.id,
            "topic": row.topic,
            "seq": row.seq,
            "event": row.name,
            "ts": iso_ms(row.created_at),
            "actor": None if row.actor_id is None else people.get(row.actor_id),
            "summary": summarise(row.name, row.payload, row.actor_id, names),
            "data": row.payload,
        }
        for row in rows
    ]


class FeedPagination(StreamCursorPagination):
    """Newest first; with `since`, oldest first. The page carries the topic's `stream`."""

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> tuple[str, ...]:
        return ("seq",) if "since" in request.query_params else ("-seq",)


FEED_SCHEMA = extend_schema(
    parameters=[
        FeedQuerySerializer,
        OpenApiParameter("limit", int, description="Page size (default 50, at most 200)."),
    ],
    responses=FeedItemSerializer(many=True),
    description="The event log of the topic with human summaries: newest first, or with "
    "`since` everything after that seq, oldest first. Cursor-paginated (`next`, `previous`); "
    "`stream` is the topic's head. Members only; chat events are not included.",
)


class TopicFeedApi(GenericAPIView[Event]):
    queryset = Event.objects.none()
    serializer_class = FeedItemSerializer
    pagination_class = FeedPagination

    def feed_response(self, request: Request, topic: str) -> Response:
        """A page of `topic`'s feed: the subclass's `get` authorises the reader (NotFound if the
        user may not read it) and names the topic."""
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = FeedPagination()
        paginator.stream = stream_position(topic)
        events = feed_events(topic, since=query.validated_data.get("since"))
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(
            FeedItemSerializer(feed_items(page), many=True).data
        )
