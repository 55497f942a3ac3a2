"""Poll REST views: parse, call a service or selector, serialise. A poll and the poll lists
carry the `stream` of the topic their events go to, read before the snapshot."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.requests import AuthenticatedRequest
from planpal.core.api import validated
from planpal.core.events import topic_for
from planpal.core.logging import unattributed
from planpal.core.schema import CONFLICT, IDEMPOTENCY_KEY
from planpal.polls import selectors, services
from planpal.polls.serializers import (
    ApplyInputSerializer,
    PollCreateInputSerializer,
    PollListOutputSerializer,
    PollOutputSerializer,
    VoteInputSerializer,
    VotesOutputSerializer,
)
from planpal.realtime.selectors import stream_position

TAGS = ["polls"]
# A closed poll takes no votes and no second close, a cancelled or completed plan's polls are
# read-only, and apply may find no single winner or a plan changed meanwhile: 409s.
CHANGED = {200: PollOutputSerializer, 409: CONFLICT}


def _poll_response(request: Request, poll_id: int, status_code: int = 200) -> Response:
    """Stream head first, then the snapshot: a client subscribing `since` misses nothing."""
    where = selectors.poll_for_member(user=request.user, poll_id=poll_id)  # only for its topic
    stream = stream_position(selectors.topic_of(where))
    poll = selectors.poll_for_member(user=request.user, poll_id=poll_id)
    context = {"request": request, "stream": stream}
    return Response(PollOutputSerializer(poll, context=context).data, status=status_code)


def _list_response(request: Request, topic: str, load) -> Response:
    stream = stream_position(topic)
    serializer = PollOutputSerializer(load(), many=True, context={"request": request})
    return Response({"stream": stream, "results": serializer.data})


def _create(request: AuthenticatedRequest, **place) -> Response:
    data = validated(PollCreateInputSerializer, request.data)
    data["client_id"] = data.get("client_id") or request.headers.get("Idempotency-Key")
    poll, created = services.poll_create(actor=request.user, **place, **data)
    return _poll_response(request, poll.pk, status.HTTP_201_CREATED if created else 200)


CREATE_SCHEMA: dict[str, Any] = {
    "tags": TAGS,
    "parameters": [IDEMPOTENCY_KEY],
    "request": PollCreateInputSerializer,
    "responses": {201: PollOutputSerializer, 200: PollOutputSerializer, 409: CONFLICT},
}


class GroupPollsApi(APIView):
    @extend_schema(
        tags=TAGS, summary="The group's polls, newest first", responses=PollListOutputSerializer
    )
    def get(self, request: Request, group_id: int) -> Response:
        return _list_response(
            request,
            topic_for("group", group_id),
            lambda: selectors.polls_of_group(user=request.user, group_id=group_id),
        )

    @extend_schema(summary="Ask the group (idempotent by client_id)", **CREATE_SCHEMA)
    def post(self, request: AuthenticatedRequest, group_id: int) -> Response:
        return _create(request, group_id=group_id)


class PlanPollsApi(APIView):
    @extend_schema(
        tags=TAGS, summary="The plan's polls, newest first", responses=PollListOutputSerializer
    )
    def get(self, request: Request, plan_id: int) -> Response:
        return _list_response(
            request,
            topic_for("plan", plan_id),
            lambda: selectors.polls_of_plan(user=request.user, plan_id=plan_id),
        )

    @extend_schema(summary="Ask the plan's members (idempotent by client_id)", **CREATE_SCHEMA)
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        return _create(request, plan_id=plan_id)


class PollDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="One poll with its counts", responses=PollOutputSerializer)
    def get(self, request: Request, poll_id: int) -> Response:
        return _poll_response(request, poll_id)

    @extend_schema(
        tags=TAGS,
        summary="Delete the poll (its creator, or the group's owners and admins)",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def delete(self, request: AuthenticatedRequest, poll_id: int) -> Response:
        services.poll_delete(actor=request.user, poll_id=poll_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PollVotesApi(APIView):
    """Every request here logs without its user (`unattributed`): a vote in an anonymous poll
    must not be traceable to its voter through the request log."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unattributed(request)

    @extend_schema(
        tags=TAGS,
        summary="The ballots: everyone's in a named poll, only yours in an anonymous one",
        responses=VotesOutputSerializer,
    )
    def get(self, request: Request, poll_id: int) -> Response:
        poll = selectors.poll_for_member(user=request.user, poll_id=poll_id)
        return Response(
            {"anonymous": poll.anonymous, "results": selectors.visible_ballots(poll, request.user)}
        )

    @extend_schema(
        tags=TAGS,
        summary="Set your vote (idempotent: the same vote again changes nothing)",
        request=VoteInputSerializer,
        responses=CHANGED,
    )
    def put(self, request: AuthenticatedRequest, poll_id: int) -> Response:
        data = validated(VoteInputSerializer, request.data)
        services.poll_vote(
            actor=request.user, poll_id=poll_id, options=data.get("options"), days=data.get("days")
        )
        return _poll_response(request, poll_id)

    @extend_schema(tags=TAGS, summary="Withdraw your vote", responses=CHANGED)
    def delete(self, request: AuthenticatedRequest, poll_id: int) -> Response:
        services.poll_vote_withdraw(actor=request.user, poll_id=poll_id)
        return _poll_response(request, poll_id)


class PollCloseApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Close the poll early (its creator, or the group's owners and admins)",
        request=None,
        responses=CHANGED,
    )
    def post(self, request: AuthenticatedRequest, poll_id: int) -> Response:
        services.poll_close(actor=request.user, poll_id=poll_id)
        return _poll_response(request, poll_id)


class PollApplyApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Turn the winner into the plan's dates or a new activity (closes the poll)",
        request=ApplyInputSerializer,
        responses=CHANGED,
    )
    def post(self, request: AuthenticatedRequest, poll_id: int) -> Response:
        data = validated(ApplyInputSerializer, request.data)
        services.poll_apply(
            actor=request.user,
            poll_id=poll_id,
            to=data["to"],
            option_id=data.get("option"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
        )
        return _poll_response(request, poll_id)
