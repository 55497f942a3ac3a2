"""GET /api/v1/places/search: a thin view over the geocoder proxy."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.api import validated
from planpal.places import geocoder
from planpal.places.serializers import PlaceSearchInputSerializer, PlaceSearchOutputSerializer


class PlaceSearchApi(APIView):
    @extend_schema(
        tags=["places"],
        summary="Find places by name or address (for an activity's place)",
        parameters=[PlaceSearchInputSerializer],
        responses={
            200: PlaceSearchOutputSerializer,
            502: OpenApiResponse(description="geocoder_unavailable: it failed or timed out."),
            503: OpenApiResponse(description="geocoder_disabled: GEOCODER_URL is not set."),
        },
    )
    def get(self, request):
        # A plain dict: an empty `?near=` or `?limit=` is then a bad value, not an absent one
        # (DRF's form rules), as the schema says.
        data = validated(PlaceSearchInputSerializer, request.query_params.dict())
        answer = geocoder.search(query=data["q"], near=data.get("near"), limit=data["limit"])
        return Response(PlaceSearchOutputSerializer(answer).data)
