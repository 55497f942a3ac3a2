"""Every write to uploads: store a new one (sniffed, re-encoded, within the quota), attach it to
something that shows it, delete it. Objects in the store are written before the row and removed
after the row's deletion commits, so a row never points at nothing."""

import logging
import unicodedata
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planpal.core.exceptions import Conflict, InvalidInput, NotFound, PayloadTooLarge
from planpal.files import attachments, processing, selectors
from planpal.files.models import Upload
from planpal.files.storage import uploads_storage

log = logging.getLogger(__name__)

MAX_NAME = 200


def _megabytes(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB"


def _check_size(size: int) -> None:
    if size > settings.UPLOAD_MAX_BYTES:
        raise PayloadTooLarge(
            _("This file is %(size)s; files may be at most %(max)s MB.")
            % {"size": _megabytes(size), "max": settings.UPLOAD_MAX_MB},
            code="file_too_large",
            fields={"file": [_("At most %(max)s MB.") % {"max": settings.UPLOAD_MAX_MB}]},
        )


def _check_quota(user_id: int, adding: int) -> None:
    used = selectors.bytes_used(user_id=user_id)
    if used + adding > settings.UPLOAD_QUOTA_BYTES:
        raise PayloadTooLarge(
            _(
                "Your files use %(used)s of %(quota)s; this one does not fit. Delete messages "
                "with files you no longer need."
            )
            % {"used": _megabytes(used), "quota": _megabytes(settings.UPLOAD_QUOTA_BYTES)},
            code="quota_exceeded",
        )


def clean_name(name: str, extension: str) -> str:
    """A file name safe to show and to offer for download: the last path part, no control or
    format characters, the extension of what is really stored."""
    stem = PurePosixPath((name or "").replace("\\", "/")).name
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = stem[: MAX_NAME - len(extension) - 1] or "file"
    return f"{stem}.{extension}"


def _keys(extension: str) -> tuple[str, str]:
    """Object names: uploads/<yyyy>/<mm>/<random>/original.<ext> and …/thumbnail.webp."""
    folder = f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    return f"{folder}/original.{extension}", f"{folder}/thumbnail.webp"


class _TypedContent(ContentFile):
    """django-storages sends a file's `content_type` as the stored object's type."""

    def __init__(self, data: bytes, content_type: str) -> None:
        super().__init__(data)
        self.content_type = content_type


def _store(key: str, data: bytes, content_type: str) -> str:
    return uploads_storage().save(key, _TypedContent(data, content_type))


def remove_objects(*keys: str) -> None:
    """Delete objects from the store; a failure is logged (an orphan costs space, not safety)."""
    storage = uploads_storage()
    for key in keys:
        if not key:
            continue
        try:
            storage.delete(key)
        except Exception:  # any store error: keep deleting the rest
            log.warning("could not delete %s from the upload store", key, exc_info=True)


def upload_create(*, actor, file, name: str) -> Upload:
    """Store an uploaded file for `actor`. Raises PayloadTooLarge (file_too_large,
    quota_exceeded), UnsupportedMediaType (unsupported_file_type) or InvalidInput."""
    _check_size(file.size)
    _check_quota(actor.pk, file.size)
    prepared = processing.prepare(file)
    key, thumbnail_key = _keys(prepared.extension)
    thumbnail_size = len(prepared.thumbnail or b"")
    stored = [_store(key, prepared.data, prepared.content_type)]
    try:
        if prepared.thumbnail is not None:
            stored.append(_store(thumbnail_key, prepared.thumbnail, "image/webp"))
        with transaction.atomic():
            # The owner's row lock serialises their concurrent uploads, so two of them cannot
            # both fit in the space that is left for one.
            get_user_model().objects.select_for_update().filter(pk=actor.pk).exists()
            _check_quota(actor.pk, len(prepared.data) + thumbnail_size)
            return Upload.objects.create(
                owner=actor,
                kind=prepared.kind,
                content_type=prepared.content_type,
                name=clean_name(name, prepared.extension),
                size=len(prepared.data),
                width=prepared.width,
                height=prepared.height,
                key=stored[0],
                thumbnail_key=stored[1] if len(stored) > 1 else "",
                thumbnail_size=thumbnail_size,
            )
    except BaseException:
        remove_objects(*stored)
        raise


def upload_attach(*, actor, upload_id: int, attach_as: str, kind: str | None = None) -> Upload:
    """Give the actor's unattached upload to something that shows it (call it inside that
    write's transaction). `kind` requires an image or a file."""
    upload = Upload.objects.select_for_update().filter(pk=upload_id, owner=actor).first()
    if upload is None:
        raise InvalidInput(
            _("No such upload of yours."), fields={"upload": [_("Upload a file first.")]}
        )
    if upload.attached_to:
        raise Conflict(_("This upload is already shared."), code="upload_in_use")
    if kind is not None and upload.kind != kind:
        raise InvalidInput(
            _("This upload is not an image.") if kind == _("image") else _("Wrong kind of upload."),
            fields={"upload": [_("Must be an upload of kind %(kind)s.") % {"kind": kind}]},
        )
    upload.attached_to = attach_as
    upload.save(update_fields=["attached_to"])
    return upload


def upload_delete(*, upload: Upload) -> None:
    """Delete the row now and its objects once the transaction commits (for the services of
    whatever the upload is attached to; they authorise)."""
    keys = (upload.key, upload.thumbnail_key)
    upload.delete()
    transaction.on_commit(lambda: remove_objects(*keys), robust=True)


def upload_discard(*, actor, upload_id: int) -> None:
    """The uploader takes back an upload nothing uses yet (a cancelled send)."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().filter(pk=upload_id, owner=actor).first()
        if upload is None:
            raise NotFound(_("Upload not found."))
        if upload.attached_to:
            raise Conflict(
                _("This upload is shared; delete the message that shows it."),
                code="upload_in_use",
            )
        upload_delete(upload=upload)


def uploads_delete_orphans(*, chunk: int = 1000) -> int:
    """Housekeeping: uploads never sent within UPLOAD_ORPHAN_HOURS, and uploads whose message
    (or other owner object) is gone without taking them along (a deleted group's chat)."""
    cutoff = timezone.now() - timedelta(hours=settings.UPLOAD_ORPHAN_HOURS)
    stale = Upload.objects.filter(attached_to="", created_at__lt=cutoff)
    doomed = set(stale.values_list("id", flat=True))
    for name in (
        Upload.objects.exclude(attached_to="").values_list("attached_to", flat=True).distinct()
    ):
        kind = attachments.get(name)
        ids = Upload.objects.filter(attached_to=name).order_by("id").values_list("id", flat=True)
        for start in range(0, ids.count(), chunk):
            batch = list(ids[start : start + chunk])
            doomed |= set(batch) - (kind.in_use(batch) if kind else set())
    deleted = 0
    for upload_id in sorted(doomed):
        with transaction.atomic():
            upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
            if upload is None or (not upload.attached_to and upload.created_at >= cutoff):
                continue
            if upload.attached_to:
                kind = attachments.get(upload.attached_to)
                if kind is not None and kind.in_use([upload.pk]):
                    continue
            upload_delete(upload=upload)
            deleted += 1
    return deleted
