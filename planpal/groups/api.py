"""Thin views of the groups API: groups, members, invite links."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.requests import AuthenticatedRequest
from planpal.core import apicache
from planpal.core.api import validated
from planpal.core.events import topic_for
from planpal.core.links import public_base
from planpal.core.pagination import DefaultPagination
from planpal.core.schema import CONFLICT
from planpal.groups import selectors, services
from planpal.groups.selectors import MANAGERS
from planpal.groups.serializers import (
    GroupCreateInputSerializer,
    GroupSerializer,
    GroupUpdateInputSerializer,
    InviteCreatedSerializer,
    InviteCreateInputSerializer,
    InviteSerializer,
    MemberAddInputSerializer,
    MemberListSerializer,
    MemberRoleInputSerializer,
    MemberSerializer,
)
from planpal.realtime.feed import FEED_SCHEMA, TopicFeedApi
from planpal.realtime.selectors import stream_position

NO_CONTENT = OpenApiResponse(description="Done.")


def _group_response(request: Request, group_id: int, code: int = status.HTTP_200_OK) -> Response:
    """The group summary. What every member sees alike is cached under the group topic's head
    (planpal.core.apicache); the viewer's role and the stream are added per request."""
    membership = selectors.require_membership(user=request.user, group_id=group_id)
    stream = stream_position(topic_for("group", group_id))  # before the snapshot

    def build() -> dict:
        group = selectors.group_detail(user=request.user, group_id=group_id)
        data = GroupSerializer(group).data
        return {key: value for key, value in data.items() if key not in ("my_role", "stream")}

    shared = apicache.fetch("group", stream["topic"], stream["seq"], build)
    return Response({**shared, "my_role": membership.role, "stream": stream}, status=code)


class GroupListApi(APIView):
    pagination_class = DefaultPagination

    @extend_schema(tags=["groups"], responses=GroupSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        ids = selectors.groups_for_user(user=request.user).values_list("id", flat=True)
        page = paginator.paginate_queryset(ids, request, view=self)
        groups = selectors.groups_snapshot(user=request.user, group_ids=list(page))
        return paginator.get_paginated_response(GroupSerializer(groups, many=True).data)

    @extend_schema(
        tags=["groups"], request=GroupCreateInputSerializer, responses={201: GroupSerializer}
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = validated(GroupCreateInputSerializer, request.data)
        group = services.group_create(actor=request.user, **data)
        return _group_response(request, group.pk, status.HTTP_201_CREATED)


class GroupDetailApi(APIView):
    @extend_schema(tags=["groups"], responses={200: GroupSerializer})
    def get(self, request: Request, group_id: int) -> Response:
        return _group_response(request, group_id)

    @extend_schema(
        tags=["groups"], request=GroupUpdateInputSerializer, responses={200: GroupSerializer}
    )
    def patch(self, request: AuthenticatedRequest, group_id: int) -> Response:
        data = validated(GroupUpdateInputSerializer, request.data)
        services.group_update(actor=request.user, group_id=group_id, **data)
        return _group_response(request, group_id)

    @extend_schema(tags=["groups"], responses={204: NO_CONTENT})
    def delete(self, request: AuthenticatedRequest, group_id: int) -> Response:
        services.group_delete(actor=request.user, group_id=group_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListApi(APIView):
    @extend_schema(tags=["groups"], responses={200: MemberListSerializer})
    def get(self, request: Request, group_id: int) -> Response:
        selectors.require_membership(user=request.user, group_id=group_id)
        stream = stream_position(topic_for("group", group_id))  # before the snapshot
        members = selectors.group_members(group_id=group_id)
        return Response(MemberListSerializer({"stream": stream, "results": members}).data)

    @extend_schema(
        tags=["groups"],
        request=MemberAddInputSerializer,
        responses={201: MemberSerializer, 409: CONFLICT},
        description="Owners and admins add one of their friends.",
    )
    def post(self, request: AuthenticatedRequest, group_id: int) -> Response:
        data = validated(MemberAddInputSerializer, request.data)
        membership = services.member_add(
            actor=request.user, group_id=group_id, user_id=data["user"]
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    @extend_schema(
        tags=["groups"],
        request=MemberRoleInputSerializer,
        responses={200: MemberSerializer, 409: CONFLICT},
    )
    def patch(self, request: AuthenticatedRequest, group_id: int, user_id: int) -> Response:
        data = validated(MemberRoleInputSerializer, request.data)
        membership = services.member_set_role(
            actor=request.user, group_id=group_id, user_id=user_id, **data
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        tags=["groups"],
        responses={204: NO_CONTENT, 409: CONFLICT},
        description="Remove a member, or leave the group (your own id).",
    )
    def delete(self, request: AuthenticatedRequest, group_id: int, user_id: int) -> Response:
        services.member_remove(actor=request.user, group_id=group_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteListApi(APIView):
    pagination_class = DefaultPagination

    @extend_schema(tags=["invites"], responses=InviteSerializer(many=True))
    def get(self, request: Request, group_id: int) -> Response:
        selectors.require_role(
            user=request.user, group_id=group_id, roles=MANAGERS, action=_("see invite links")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.group_invites(group_id=group_id), request, view=self
        )
        return paginator.get_paginated_response(InviteSerializer(page, many=True).data)

    @extend_schema(
        tags=["invites"],
        request=InviteCreateInputSerializer,
        responses={201: InviteCreatedSerializer},
    )
    def post(self, request: AuthenticatedRequest, group_id: int) -> Response:
        data = validated(InviteCreateInputSerializer, request.data)
        invite, token = services.invite_create(actor=request.user, group_id=group_id, **data)
        invite.token = token
        invite.url = services.invite_url(token, base=public_base(request))
        return Response(InviteCreatedSerializer(invite).data, status=status.HTTP_201_CREATED)


class InviteDetailApi(APIView):
    @extend_schema(
        tags=["invites"],
        responses={204: NO_CONTENT},
        description="Revoke an invite link, named by its token or by its id.",
    )
    def delete(self, request: AuthenticatedRequest, group_id: int, key: str) -> Response:
        services.invite_revoke(actor=request.user, group_id=group_id, key=key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteAcceptApi(APIView):
    @extend_schema(
        tags=["invites"],
        request=None,
        responses={201: GroupSerializer, 200: GroupSerializer},
        description="Join the group (201); 200 if you already are a member; 410 if the link "
        "expired, was revoked or is used up.",
    )
    def post(self, request: AuthenticatedRequest, token: str) -> Response:
        group, joined = services.invite_accept(actor=request.user, token=token)
        code = status.HTTP_201_CREATED if joined else status.HTTP_200_OK
        return _group_response(request, group.pk, code)


class GroupEventsApi(TopicFeedApi):
    @extend_schema(tags=["groups"], summary="The group's activity feed (its event log)")
    @FEED_SCHEMA
    def get(self, request: Request, group_id: int) -> Response:
        selectors.require_membership(user=request.user, group_id=group_id)
        return self.feed_response(request, topic_for("group", group_id))
