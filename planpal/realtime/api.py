"""REST side of the gateway: one-time tickets for WebSocket auth."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.authentication import SessionAuthentication
from planpal.realtime.credentials import session_ref
from planpal.realtime.tickets import ticket_issue


def websocket_url(request) -> str:
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
    def post(self, request):
        cookie = isinstance(request.successful_authenticator, SessionAuthentication)
        session = session_ref(request.session) if cookie else ""
        ticket = ticket_issue(user=request.user, session=session)
        body = {
            "ticket": ticket,
            "expires_in": settings.REALTIME["TICKET_TTL_SECONDS"],
            "ws_url": websocket_url(request),
        }
        return Response(body, status=201)
