"""Reads of uploads with their permission rule, and a user's quota use."""

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from planpal.core.exceptions import NotFound
from planpal.files import attachments
from planpal.files.models import Upload


def may_see(*, user, upload: Upload) -> bool:
    """The uploader sees an upload until it is attached; from then on the attachment's rule
    decides for everyone (a sender removed from the group loses it too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not upload.attached_to:
        return upload.owner_id == user.pk
    kind = attachments.get(upload.attached_to)
    return kind is not None and kind.may_see(user.pk, upload.pk)


def upload_for_viewer(*, user, upload_id: int) -> Upload:
    """The upload, or NotFound for anyone who may not see it (ids do not leak)."""
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or not may_see(user=user, upload=upload):
        raise NotFound(_("Upload not found."))
    return upload


def bytes_used(*, user_id: int) -> int:
    total = Upload.objects.filter(owner_id=user_id).aggregate(
        total=Sum(F("size") + F("thumbnail_size"))
    )["total"]
    return int(total or 0)
