"""files routes: the upload API (under /api/v1/) and the signed local file URLs (/files/)."""

from django.urls import path

import planpal.core.urls  # noqa: F401 - registers the "id" path converter
from planpal.files import api

urlpatterns = [
    path("uploads", api.UploadCreateApi.as_view(), name="upload-create"),
    path("uploads/<id:upload_id>", api.UploadDetailApi.as_view(), name="upload-detail"),
    path("uploads/<id:upload_id>/content", api.UploadContentApi.as_view(), name="upload-content"),
]

public_urlpatterns = [
    path("files/<str:token>", api.file_content, name="file-content"),
]
