"""REST side of the gateway: one-time tickets for WebSocket auth."""

from typing import cast

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.authentication import Account, SessionAuthentication
from planpal.realtime.credentials import session_ref
from planpal.realtime.tickets import ticket_issue


def websocket_url(request: Request) -> str:
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}/ws/"


class TicketApi(APIView):
    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "RealtimeTicket",
                {
                    "ticket": serializers.CharField(),
                    "expires_in": serializers.IntegerField(),
                    "ws_url": serializers.CharField(),
                },
            ),
            503: OpenApiResponse(description="Redis is unreachable: no ticket can be stored"),
        },
        summary="A single-use ticket to open the WebSocket: connect to ws_url?ticket=<ticket>.",
    )
    def post(self, request: Request) -> Response:
        cookie = isinstance(request.successful_authenticator, SessionAuthentication)
        session = session_ref(request.session) if cookie else ""
        user = cast(Account, request.user)  # IsAuthenticated, the default permission
        ticket = ticket_issue(user=user, session=session)
        body = {
            "ticket": ticket,
            "expires_in": settings.REALTIME["TICKET_TTL_SECONDS"],
            "ws_url": websocket_url(request),
        }
        return Response(body, status=201)
