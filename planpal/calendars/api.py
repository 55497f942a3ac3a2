"""Calendar REST views: a user's feed URLs (get, rotate), the feeds calendar apps poll, and the
one-off "add to calendar" file of an activity."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.calendars import ics, selectors, services
from planpal.calendars.serializers import FeedInputSerializer, FeedOutputSerializer
from planpal.core.api import validated
from planpal.core.exceptions import NotFound
from planpal.core.links import public_base
from planpal.plans.selectors import activity_for_member

TAGS = ["calendars"]
ICS = {(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="RFC 5545 text.")}
NO_PLAN = OpenApiResponse(description="No such plan, or not one you can see.")


def _feed_answer(request, feed_and_token) -> Response:
    feed, token = feed_and_token
    data = FeedOutputSerializer({"feed": feed, "token": token}, context={"request": request}).data
    response = Response(data)
    patch_cache_control(response, private=True, no_store=True)  # the URL is a credential
    return response


def _calendar(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


class CalendarFeedApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Your private calendar feed URL (all your plans, or one plan's)",
        parameters=[FeedInputSerializer],
        responses={200: FeedOutputSerializer, 404: NO_PLAN},
    )
    def get(self, request):
        plan_id = _plan_id(request.query_params)
        return _feed_answer(
            request, services.calendar_feed_get(actor=request.user, plan_id=plan_id)
        )


class CalendarFeedRotateApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A new feed URL; the old one stops working at once",
        request=FeedInputSerializer,
        responses={200: FeedOutputSerializer, 404: NO_PLAN},
    )
    def post(self, request):
        plan_id = _plan_id(request.data)
        feed = services.calendar_feed_rotate(actor=request.user, plan_id=plan_id)
        return _feed_answer(request, feed)


def _plan_id(data) -> int | None:
    return validated(FeedInputSerializer, data).get("plan")


class FirstRenderer(BaseContentNegotiation):
    """Calendar apps send all sorts of Accept headers; errors are always the JSON error shape
    (a success is an HttpResponse that DRF does not render)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CalendarFeedIcsApi(APIView):
    """Opened by the token alone: calendar apps cannot sign in. Unknown, rotated and revoked
    tokens get the same 404."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    content_negotiation_class = FirstRenderer

    @extend_schema(
        tags=TAGS,
        summary="A calendar feed (for calendar apps)",
        responses={**ICS, 404: OpenApiResponse(description="No such feed (or rotated).")},
    )
    def get(self, request, token: str):
        feed = selectors.feed_for_token(token)
        if feed is None:
            raise NotFound(_("No such calendar feed."))
        name = feed.plan.title if feed.plan else f"PlanPal: {feed.user.public_name}"
        body = ics.feed(selectors.feed_plans(feed), name=name, base=public_base(request))
        response = _calendar(body)
        response["Referrer-Policy"] = "no-referrer"
        return response


class ActivityCalendarApi(APIView):
    content_negotiation_class = FirstRenderer

    @extend_schema(
        tags=TAGS,
        summary='An activity as an "add to calendar" file',
        responses={**ICS, 404: OpenApiResponse(description="No such activity, or not yours.")},
    )
    def get(self, request, activity_id: int):
        activity = activity_for_member(user=request.user, activity_id=activity_id)
        body = ics.one_activity(activity, base=public_base(request))
        return _calendar(body, filename=f"{slugify(activity.title) or 'activity'}.ics")
