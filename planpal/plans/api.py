"""REST endpoints of plans, participants and activities: parse, call a service or selector,
serialise. Responses that a client follows live carry `stream`, read before the snapshot."""

from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.requests import AuthenticatedRequest
from planpal.core import apicache
from planpal.core.api import VERSION_PARAMETERS, conflicts_show, expected_version, validated
from planpal.core.events import topic_for
from planpal.core.exceptions import VersionConflict
from planpal.core.pagination import PlanPagination
from planpal.core.schema import CONFLICT, IDEMPOTENCY_KEY
from planpal.plans import selectors, services
from planpal.plans.serializers import (
    ActivityCreateInputSerializer,
    ActivityListOutputSerializer,
    ActivityOutputSerializer,
    ActivityUpdateInputSerializer,
    ParticipantInputSerializer,
    PlanCreateInputSerializer,
    PlanDetailOutputSerializer,
    PlanFilterSerializer,
    PlanOutputSerializer,
    PlanUpdateInputSerializer,
    ReorderInputSerializer,
)
from planpal.realtime.feed import FEED_SCHEMA, TopicFeedApi
from planpal.realtime.selectors import stream_position, stream_positions

TAGS = ["plans"]
NO_CONTENT = {204: OpenApiResponse(description="Done.")}


# Per-viewer fields, computed per request around the cached snapshot (planpal.core.apicache).
VIEWER_FIELDS = ("can_manage", "stream")


def _shared(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in VIEWER_FIELDS}


def _plan_detail(request: Request, plan_id: int) -> dict:
    """The plan as the caller sees it. The stream head is read first, then the snapshot, so a
    client subscribing `since` the head misses nothing. The snapshot is cached under that head
    (a write changes the head in its own commit, so it is never stale)."""
    stream = stream_position(topic_for("plan", plan_id))
    plan = selectors.plan_for_member(user=request.user, plan_id=plan_id)
    context = {"request": request, "streams": {stream["topic"]: stream}}
    shared = apicache.fetch(
        "plan",
        stream["topic"],
        stream["seq"],
        lambda: _shared(PlanDetailOutputSerializer(plan, context=context).data),
    )
    return {**shared, "can_manage": selectors.can_manage_plan(request.user, plan), "stream": stream}


@contextmanager
def _current_on_conflict(request: Request, plan_id: int) -> Iterator[None]:
    """A stale write's 409 carries the plan as it is now, read like any plan: the stream head,
    then the snapshot (the service's copy was read before that head)."""
    try:
        yield
    except VersionConflict as exc:
        exc.current = _plan_detail(request, plan_id)
        raise


def _activity_list(request: Request, plan_id: int) -> dict:
    stream = stream_position(topic_for("plan", plan_id))
    plan = selectors.plan_for_member(user=request.user, plan_id=plan_id)
    activities = selectors.activities_of(plan=plan)
    return ActivityListOutputSerializer({"stream": stream, "results": activities}).data


# ---------------------------------------------------------------------------- plans


class PlanListCreateApi(APIView):
    pagination_class = PlanPagination

    @extend_schema(
        tags=TAGS, parameters=[PlanFilterSerializer], responses=PlanOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        # A plain dict: an empty `?status=` is then a bad status, not "no filter" (form rules).
        filters = validated(PlanFilterSerializer, request.query_params.dict())
        plans = selectors.plans_for_user(
            user=request.user, status=filters.get("status"), group_id=filters.get("group")
        )
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(plans.values("id", "start_at"), request, view=self)
        ids = [row["id"] for row in rows]
        streams = stream_positions([topic_for("plan", pk) for pk in ids])  # before the snapshot
        managed = selectors.manager_group_ids(user=request.user)
        context = {"request": request, "streams": streams, "manager_group_ids": managed}

        def build(topics: list[str]) -> dict[str, dict]:
            by_id = plans.in_bulk([int(topic.partition(":")[2]) for topic in topics])
            rows = PlanOutputSerializer(list(by_id.values()), many=True, context=context).data
            return {topic_for("plan", row["id"]): _shared(row) for row in rows}

        heads = {topic: stream["seq"] for topic, stream in streams.items()}
        items = apicache.fetch_many("plan-item", heads, build)
        page = []
        for topic in heads:
            item = items.get(topic)
            if item is not None:
                can_manage = item["creator"]["id"] == request.user.pk or item["group"] in managed
                page.append({**item, "can_manage": can_manage, "stream": streams[topic]})
        return paginator.get_paginated_response(page)

    @extend_schema(
        tags=TAGS, request=PlanCreateInputSerializer, responses={201: PlanDetailOutputSerializer}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(PlanCreateInputSerializer, request.data)
        plan = services.plan_create(
            actor=request.user,
            title=data["title"],
            description=data.get("description", ""),
            group_id=data.get("group"),
            start_at=data["start_at"],
            end_at=data["end_at"],
            timezone=data.get("timezone"),
        )
        return Response(_plan_detail(request, plan.pk), status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    @extend_schema(tags=TAGS, responses=PlanDetailOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_plan_detail(request, plan_id))

    @extend_schema(
        tags=TAGS,
        request=PlanUpdateInputSerializer,
        responses={
            200: PlanDetailOutputSerializer,
            409: OpenApiResponse(description="Stale version"),
        },
    )
    def patch(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = dict(validated(PlanUpdateInputSerializer, request.data))
        with _current_on_conflict(request, plan_id):
            services.plan_update(actor=request.user, plan_id=plan_id, **data)
        return Response(_plan_detail(request, plan_id))

    @extend_schema(
        tags=TAGS,
        parameters=VERSION_PARAMETERS,
        responses={**NO_CONTENT, 409: OpenApiResponse(description="Stale version")},
    )
    def delete(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        version = expected_version(request)
        with _current_on_conflict(request, plan_id):
            services.plan_delete(actor=request.user, plan_id=plan_id, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanTransitionApi(APIView):
    """POST plans/{id}/start|complete|cancel (the plan's managers)."""

    transition = staticmethod(services.plan_start)

    @extend_schema(
        tags=TAGS, request=None, responses={200: PlanDetailOutputSerializer, 409: CONFLICT}
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        self.transition(actor=request.user, plan_id=plan_id)
        return Response(_plan_detail(request, plan_id))


class PlanStartApi(PlanTransitionApi):
    transition = staticmethod(services.plan_start)


class PlanCompleteApi(PlanTransitionApi):
    transition = staticmethod(services.plan_complete)


class PlanCancelApi(PlanTransitionApi):
    transition = staticmethod(services.plan_cancel)


class PlanParticipantsApi(APIView):
    @extend_schema(
        tags=TAGS,
        request=ParticipantInputSerializer,
        responses={201: PlanDetailOutputSerializer, 409: CONFLICT},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = validated(ParticipantInputSerializer, request.data)
        services.plan_participant_add(actor=request.user, plan_id=plan_id, user_id=data["user"])
        return Response(_plan_detail(request, plan_id), status=status.HTTP_201_CREATED)


class PlanParticipantApi(APIView):
    @extend_schema(tags=TAGS, responses=NO_CONTENT)
    def delete(self, request: AuthenticatedRequest, plan_id: int, user_id: int) -> Response:
        services.plan_participant_remove(actor=request.user, plan_id=plan_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------- activities


class PlanActivitiesApi(APIView):
    @extend_schema(tags=TAGS, responses=ActivityListOutputSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_activity_list(request, plan_id))

    @extend_schema(
        tags=TAGS,
        summary="Add an activity (idempotent by client_id)",
        parameters=[IDEMPOTENCY_KEY],
        request=ActivityCreateInputSerializer,
        responses={201: ActivityOutputSerializer, 200: ActivityOutputSerializer, 409: CONFLICT},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = dict(validated(ActivityCreateInputSerializer, request.data))
        data["client_id"] = data.get("client_id") or request.headers.get("Idempotency-Key")
        activity, created = services.activity_create(actor=request.user, plan_id=plan_id, **data)
        return Response(ActivityOutputSerializer(activity).data, status=201 if created else 200)


class ActivityReorderApi(APIView):
    @extend_schema(
        tags=TAGS,
        request=ReorderInputSerializer,
        responses={200: ActivityListOutputSerializer, 409: CONFLICT},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = validated(ReorderInputSerializer, request.data)
        services.activities_reorder(actor=request.user, plan_id=plan_id, order=data["order"])
        return Response(_activity_list(request, plan_id))


class ActivityDetailApi(APIView):
    @extend_schema(tags=TAGS, responses=ActivityOutputSerializer)
    def get(self, request: Request, activity_id: int) -> Response:
        activity = selectors.activity_for_member(user=request.user, activity_id=activity_id)
        return Response(ActivityOutputSerializer(activity).data)

    @extend_schema(
        tags=TAGS,
        request=ActivityUpdateInputSerializer,
        responses={
            200: ActivityOutputSerializer,
            409: OpenApiResponse(description="Stale version"),
        },
    )
    def patch(self, request: AuthenticatedRequest, activity_id: int) -> Response:
        data = dict(validated(ActivityUpdateInputSerializer, request.data))
        with conflicts_show(ActivityOutputSerializer):
            activity = services.activity_update(actor=request.user, activity_id=activity_id, **data)
        return Response(ActivityOutputSerializer(activity).data)

    @extend_schema(
        tags=TAGS, parameters=VERSION_PARAMETERS, responses={**NO_CONTENT, 409: CONFLICT}
    )
    def delete(self, request: AuthenticatedRequest, activity_id: int) -> Response:
        version = expected_version(request)
        with conflicts_show(ActivityOutputSerializer):
            services.activity_delete(actor=request.user, activity_id=activity_id, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityCompleteApi(APIView):
    @extend_schema(
        tags=TAGS, request=None, responses={200: ActivityOutputSerializer, 409: CONFLICT}
    )
    def post(self, request: AuthenticatedRequest, activity_id: int) -> Response:
        activity = services.activity_complete(actor=request.user, activity_id=activity_id)
        return Response(ActivityOutputSerializer(activity).data)


class ActivityReopenApi(APIView):
    @extend_schema(
        tags=TAGS, request=None, responses={200: ActivityOutputSerializer, 409: CONFLICT}
    )
    def post(self, request: AuthenticatedRequest, activity_id: int) -> Response:
        activity = services.activity_reopen(actor=request.user, activity_id=activity_id)
        return Response(ActivityOutputSerializer(activity).data)


# ---------------------------------------------------------------------------- activity feed


class PlanEventsApi(TopicFeedApi):
    @extend_schema(tags=TAGS, summary="The plan's activity feed (its event log with summaries)")
    @FEED_SCHEMA
    def get(self, request: Request, plan_id: int) -> Response:
        selectors.plan_for_member(user=request.user, plan_id=plan_id)
        return self.feed_response(request, topic_for("plan", plan_id))
