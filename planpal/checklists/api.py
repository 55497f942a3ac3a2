"""Checklist REST views: parse, call a service or selector, serialise. Lists carry the
`stream` of the topic their events go to, read before the snapshot."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.accounts.requests import AuthenticatedRequest
from planpal.checklists import selectors, services
from planpal.checklists.events import ItemData
from planpal.checklists.serializers import (
    ChecklistCreateInputSerializer,
    ChecklistListOutputSerializer,
    ChecklistOutputSerializer,
    ChecklistRenameInputSerializer,
    ItemCreateInputSerializer,
    ItemOutputSerializer,
    ItemReorderInputSerializer,
    ItemUpdateInputSerializer,
)
from planpal.core.api import conflicts_show, validated
from planpal.core.events import topic_for
from planpal.core.schema import CONFLICT, IDEMPOTENCY_KEY
from planpal.realtime.selectors import stream_position

TAGS = ["checklists"]
NO_CONTENT = {204: OpenApiResponse(description="Done.")}
# Every write locks the list's plan, and a cancelled or completed plan's lists are read-only
# (409 plan_closed); an item edit with a stale version is a 409 with `current`.
CLOSED = {409: CONFLICT}


def _checklist(request: Request, checklist_id: int, status_code: int = 200) -> Response:
    where = selectors.checklist_for_member(user=request.user, checklist_id=checklist_id)
    stream = stream_position(selectors.topic_of(where))  # before the snapshot
    checklist = selectors.checklist_for_member(user=request.user, checklist_id=checklist_id)
    return Response({**selectors.checklist_data(checklist), "stream": stream}, status=status_code)


def _item(item, checklist) -> Response:
    return Response(ItemData.of(item, checklist.plan_id).model_dump(mode="json"))


class _ItemShape:
    """What conflicts_show renders as `current` for a stale item write."""

    def __init__(self, item, **kwargs) -> None:
        self.data = ItemData.of(item, item.checklist.plan_id).model_dump(mode="json")


class PlanChecklistsApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The plan's shared lists and your personal ones",
        responses=ChecklistListOutputSerializer,
    )
    def get(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        streams = {
            "stream": stream_position(topic_for("plan", plan_id)),
            "personal_stream": stream_position(topic_for("user", request.user.pk)),
        }
        lists = selectors.checklists_of_plan(user=request.user, plan_id=plan_id)
        results = [
            {
                **selectors.checklist_data(c),
                "stream": streams["personal_stream" if c.owner_id else "stream"],
            }
            for c in lists
        ]
        return Response({**streams, "results": results})

    @extend_schema(
        tags=TAGS,
        summary="Start a shared list, or your personal one (optionally from a template)",
        parameters=[IDEMPOTENCY_KEY],
        request=ChecklistCreateInputSerializer,
        responses={201: ChecklistOutputSerializer, 200: ChecklistOutputSerializer, **CLOSED},
    )
    def post(self, request: AuthenticatedRequest, plan_id: int) -> Response:
        data = validated(ChecklistCreateInputSerializer, request.data)
        data["client_id"] = data.get("client_id") or request.headers.get("Idempotency-Key")
        checklist, created = services.checklist_create(actor=request.user, plan_id=plan_id, **data)
        return _checklist(request, checklist.pk, 201 if created else 200)


class ChecklistDetailApi(APIView):
    @extend_schema(
        tags=TAGS, summary="One list with its items", responses=ChecklistOutputSerializer
    )
    def get(self, request: Request, checklist_id: int) -> Response:
        return _checklist(request, checklist_id)

    @extend_schema(
        tags=TAGS,
        summary="Rename the list",
        request=ChecklistRenameInputSerializer,
        responses={200: ChecklistOutputSerializer, **CLOSED},
    )
    def patch(self, request: AuthenticatedRequest, checklist_id: int) -> Response:
        data = validated(ChecklistRenameInputSerializer, request.data)
        services.checklist_rename(
            actor=request.user, checklist_id=checklist_id, title=data["title"]
        )
        return _checklist(request, checklist_id)

    @extend_schema(tags=TAGS, summary="Delete the list", responses={**NO_CONTENT, **CLOSED})
    def delete(self, request: AuthenticatedRequest, checklist_id: int) -> Response:
        services.checklist_delete(actor=request.user, checklist_id=checklist_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChecklistItemsApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Add an item at the end (idempotent by client_id)",
        parameters=[IDEMPOTENCY_KEY],
        request=ItemCreateInputSerializer,
        responses={201: ItemOutputSerializer, 200: ItemOutputSerializer, **CLOSED},
    )
    def post(self, request: AuthenticatedRequest, checklist_id: int) -> Response:
        data = validated(ItemCreateInputSerializer, request.data)
        item, created = services.item_add(
            actor=request.user,
            checklist_id=checklist_id,
            text=data["text"],
            assignee_id=data.get("assignee"),
            due_at=data.get("due_at"),
            client_id=data.get("client_id") or request.headers.get("Idempotency-Key"),
        )
        response = _item(item, item.checklist)
        response.status_code = 201 if created else 200
        return response


class ChecklistReorderApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Set the items' order (every item once)",
        request=ItemReorderInputSerializer,
        responses={200: ChecklistOutputSerializer, **CLOSED},
    )
    def post(self, request: AuthenticatedRequest, checklist_id: int) -> Response:
        data = validated(ItemReorderInputSerializer, request.data)
        services.items_reorder(actor=request.user, checklist_id=checklist_id, order=data["order"])
        return _checklist(request, checklist_id)


class ChecklistItemApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change an item's text, assignee or due time (409 with `current` if stale)",
        request=ItemUpdateInputSerializer,
        responses={200: ItemOutputSerializer, **CLOSED},
    )
    def patch(self, request: AuthenticatedRequest, item_id: int) -> Response:
        data = validated(ItemUpdateInputSerializer, request.data)
        changes = {k: v for k, v in data.items() if k in ("text", "due_at")}
        if "assignee" in data:
            changes["assignee_id"] = data["assignee"]
        with conflicts_show(_ItemShape):
            item = services.item_update(
                actor=request.user, item_id=item_id, version=data.get("version"), **changes
            )
        return _item(item, item.checklist)

    @extend_schema(tags=TAGS, summary="Delete an item", responses={**NO_CONTENT, **CLOSED})
    def delete(self, request: AuthenticatedRequest, item_id: int) -> Response:
        services.item_delete(actor=request.user, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemTickApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Tick (idempotent)",
        request=None,
        responses={200: ItemOutputSerializer, **CLOSED},
    )
    def post(self, request: AuthenticatedRequest, item_id: int) -> Response:
        item = services.item_tick(actor=request.user, item_id=item_id)
        return _item(item, item.checklist)


class ItemUntickApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Untick (idempotent)",
        request=None,
        responses={200: ItemOutputSerializer, **CLOSED},
    )
    def post(self, request: AuthenticatedRequest, item_id: int) -> Response:
        item = services.item_untick(actor=request.user, item_id=item_id)
        return _item(item, item.checklist)
