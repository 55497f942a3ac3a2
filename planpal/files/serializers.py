"""Upload input (one multipart file) and outputs: the upload with fresh signed URLs, and the
URL-free attachment that other resources embed."""

from typing import Literal, overload

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planpal.core.links import public_base
from planpal.files.models import Upload
from planpal.files.storage import signed_url


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False,
        max_length=1000,
        help_text="JPEG, PNG, WebP, HEIC, GIF, PDF or GPX (judged by content), "
        "at most UPLOAD_MAX_MB.",
    )


class AttachmentSerializer(serializers.Serializer):
    """What a message shows about its file (planpal.files.events.AttachmentData); no URL."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Upload.Kind.choices, read_only=True)
    content_type = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    width = serializers.IntegerField(read_only=True, allow_null=True)
    height = serializers.IntegerField(read_only=True, allow_null=True)


def _absolute(request, url: str) -> str:
    return url if "://" in url else public_base(request) + url


@overload
def upload_url(request, upload: Upload, *, thumbnail: Literal[False] = False) -> str: ...
@overload
def upload_url(request, upload: Upload, *, thumbnail: bool) -> str | None: ...
def upload_url(request, upload: Upload, *, thumbnail: bool = False) -> str | None:
    """A signed URL of the upload (or its thumbnail) for this request's user, who must already
    have been found allowed to see it."""
    if thumbnail and not upload.thumbnail_key:
        return None
    ttl = settings.FILES_URL_TTL_SECONDS
    if thumbnail:
        url = signed_url(upload.thumbnail_key, content_type="image/webp", ttl=ttl)
    else:
        download = None if upload.kind == Upload.Kind.IMAGE else upload.name
        url = signed_url(
            upload.key, content_type=upload.content_type, ttl=ttl, download_name=download
        )
    return _absolute(request, url)


class UploadOutputSerializer(AttachmentSerializer):
    """The upload with signed URLs valid for FILES_URL_TTL_SECONDS. Context: `request`."""

    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    url_expires_in = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_url(self, upload: Upload) -> str:
        return upload_url(self.context["request"], upload)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, upload: Upload) -> str | None:
        return upload_url(self.context["request"], upload, thumbnail=True)

    def get_url_expires_in(self, upload: Upload) -> int:
        """Seconds the URLs stay valid; ask again for new ones after that."""
        return settings.FILES_URL_TTL_SECONDS
