"""Thin views of the webhooks API: endpoints of a group, their delivery log, and the actions
(rotate the secret, send a test event, redeliver). Owners and admins of the group only."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.api import validated
from planpal.core.pagination import DefaultPagination, NewestFirstCursorPagination
from planpal.core.schema import CONFLICT
from planpal.webhooks import selectors, services
from planpal.webhooks.models import WebhookDelivery
from planpal.webhooks.serializers import (
    DeliveryDetailSerializer,
    DeliverySerializer,
    RotateSecretInputSerializer,
    WebhookCreateInputSerializer,
    WebhookSerializer,
    WebhookUpdateInputSerializer,
    WebhookWithSecretSerializer,
)

TAGS = ["webhooks"]
NO_CONTENT = {204: OpenApiResponse(description="Done.")}


class GroupWebhooksApi(APIView):
    pagination_class = DefaultPagination

    @extend_schema(tags=TAGS, responses=WebhookSerializer(many=True))
    def get(self, request: Request, group_id: int) -> Response:
        webhooks = selectors.webhooks_of_group(user=request.user, group_id=group_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(webhooks.order_by("id"), request, view=self)
        return paginator.get_paginated_response(WebhookSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=WebhookCreateInputSerializer,
        responses={201: WebhookWithSecretSerializer, 409: CONFLICT},
        description="Register an HTTPS endpoint. The answer carries the signing `secret`: store "
        "it now, it is never shown again.",
    )
    def post(self, request: Request, group_id: int) -> Response:
        data = validated(WebhookCreateInputSerializer, request.data)
        endpoint = services.webhook_create(actor=request.user, group_id=group_id, **data)
        return Response(WebhookWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    @extend_schema(tags=TAGS, responses=WebhookSerializer)
    def get(self, request: Request, webhook_id: int) -> Response:
        endpoint = selectors.webhook_for_manager(user=request.user, webhook_id=webhook_id)
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(tags=TAGS, request=WebhookUpdateInputSerializer, responses=WebhookSerializer)
    def patch(self, request: Request, webhook_id: int) -> Response:
        data = validated(WebhookUpdateInputSerializer, request.data)
        endpoint = services.webhook_update(actor=request.user, webhook_id=webhook_id, **data)
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(tags=TAGS, responses=NO_CONTENT)
    def delete(self, request: Request, webhook_id: int) -> Response:
        services.webhook_delete(actor=request.user, webhook_id=webhook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretApi(APIView):
    @extend_schema(
        tags=TAGS,
        request=RotateSecretInputSerializer,
        responses=WebhookWithSecretSerializer,
        description="A new secret, shown once. The old one keeps signing beside it (a second "
        "v1= in the signature header) for grace_seconds.",
    )
    def post(self, request: Request, webhook_id: int) -> Response:
        data = validated(RotateSecretInputSerializer, request.data)
        endpoint = services.webhook_rotate_secret(actor=request.user, webhook_id=webhook_id, **data)
        return Response(WebhookWithSecretSerializer(endpoint).data)


class WebhookTestApi(APIView):
    @extend_schema(tags=TAGS, request=None, responses={202: DeliverySerializer, 409: CONFLICT})
    def post(self, request: Request, webhook_id: int) -> Response:
        delivery = services.webhook_send_test(actor=request.user, webhook_id=webhook_id)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveriesApi(GenericAPIView):
    queryset = WebhookDelivery.objects.none()
    serializer_class = DeliverySerializer
    pagination_class = NewestFirstCursorPagination

    @extend_schema(
        tags=TAGS,
        operation_id="v1_webhooks_deliveries_list",
        responses=DeliverySerializer(many=True),
        summary="The delivery log, newest first (cursor pagination)",
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        endpoint = selectors.webhook_for_manager(user=request.user, webhook_id=webhook_id)
        page = self.paginate_queryset(selectors.deliveries_of(endpoint=endpoint))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class WebhookDeliveryApi(APIView):
    @extend_schema(tags=TAGS, responses=DeliveryDetailSerializer)
    def get(self, request: Request, webhook_id: int, delivery_id: int) -> Response:
        delivery = selectors.delivery_for_manager(
            user=request.user, webhook_id=webhook_id, delivery_id=delivery_id
        )
        return Response(DeliveryDetailSerializer(delivery).data)


class WebhookRedeliverApi(APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: DeliverySerializer, 409: CONFLICT},
        description="Send the delivery's event again (same Idempotency-Key), after anything "
        "already queued.",
    )
    def post(self, request: Request, webhook_id: int, delivery_id: int) -> Response:
        delivery = services.delivery_redeliver(
            actor=request.user, webhook_id=webhook_id, delivery_id=delivery_id
        )
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
