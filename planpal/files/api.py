"""Upload REST views, and the one non-API view that serves local files by signed token."""

import logging
import time

from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from planpal.core.api import validated
from planpal.core.api_errors import error_body
from planpal.core.exceptions import NotFound
from planpal.core.schema import CONFLICT
from planpal.files import selectors, services
from planpal.files.serializers import UploadInputSerializer, UploadOutputSerializer, upload_url
from planpal.files.storage import BadToken, read_token, uploads_storage

log = logging.getLogger(__name__)


def _no_store(response):
    """Answers that carry signed URLs must not be cached by anyone: access may end."""
    patch_cache_control(response, private=True, no_store=True)
    return response


class UploadCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload a file (multipart field `file`); share it by sending a message with it",
        request={"multipart/form-data": UploadInputSerializer},
        responses={
            201: UploadOutputSerializer,
            413: OpenApiResponse(description="file_too_large or quota_exceeded"),
            415: OpenApiResponse(description="unsupported_file_type (judged by content)"),
        },
    )
    def post(self, request):
        payload = validated(UploadInputSerializer, request.data)
        file = payload["file"]
        upload = services.upload_create(actor=request.user, file=file, name=file.name)
        data = UploadOutputSerializer(upload, context={"request": request}).data
        return _no_store(Response(data, status=status.HTTP_201_CREATED))


class UploadDetailApi(APIView):
    @extend_schema(
        summary="An upload you may see, with fresh signed URLs", responses=UploadOutputSerializer
    )
    def get(self, request, upload_id: int):
        upload = selectors.upload_for_viewer(user=request.user, upload_id=upload_id)
        data = UploadOutputSerializer(upload, context={"request": request}).data
        return _no_store(Response(data))

    @extend_schema(
        summary="Discard your upload that no message uses yet",
        responses={204: None, 409: CONFLICT},
    )
    def delete(self, request, upload_id: int):
        services.upload_discard(actor=request.user, upload_id=upload_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UploadContentApi(APIView):
    @extend_schema(
        summary="Redirect (302) to a fresh signed URL of the file or its thumbnail",
        parameters=[
            OpenApiParameter(
                "variant", OpenApiTypes.STR, enum=["original", "thumbnail"], required=False
            )
        ],
        responses={302: OpenApiResponse(description="Location: the signed URL")},
    )
    def get(self, request, upload_id: int):
        upload = selectors.upload_for_viewer(user=request.user, upload_id=upload_id)
        thumbnail = request.query_params.get("variant") == "thumbnail"
        url = upload_url(request, upload, thumbnail=thumbnail)
        if url is None:
            raise NotFound(_("This upload has no thumbnail."))
        return _no_store(HttpResponseRedirect(url))


def file_content(request, token: str):
    """GET /files/<token>: a local store's file, for whoever holds an unexpired signed token
    (planpal.files.storage). Sandboxed and never sniffed by the browser."""
    try:
        claims = read_token(token)
    except BadToken as error:
        return JsonResponse(
            error_body(
                "link_expired",
                _("This file link is invalid or expired (%(error)s); ask the app for a new one.")
                % {"error": error},
            ),
            status=403,
        )
    try:
        handle = uploads_storage().open(claims["k"], "rb")
    except (FileNotFoundError, ValueError):
        return JsonResponse(error_body("not_found", _("This file no longer exists.")), status=404)
    response = FileResponse(handle, content_type=claims["t"])
    if claims["d"]:
        response["Content-Disposition"] = claims["d"]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    patch_cache_control(response, private=True, max_age=max(0, claims["e"] - int(time.time())))
    return response
