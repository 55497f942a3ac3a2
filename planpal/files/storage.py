"""Where uploaded files live and how a client is let in to read one.

Two stores, chosen by the settings (`planpal.files.config.storage_config`):
- the local filesystem under the data directory (embedded mode, or no store configured);
- any S3-compatible store through django-storages (`STORAGE_URL=s3://…` or the `AWS_*` settings).

Objects are never public. A reader gets a short-lived signed URL (`signed_url`):
- S3: a presigned GET (SigV4, `X-Amz-Expires` = FILES_URL_TTL_SECONDS) that the store checks;
- local: `/files/<token>`, where the token is a Django-signed (HMAC with SECRET_KEY, salt
  `planpal.files`) `{key, expires, type, disposition}`; `api.FileContentView` checks the
  signature and the expiry before it streams the file. No database read: the token says it all.
Only the API hands URLs out, and only to someone who may see the upload right now
(`selectors.upload_for_viewer`); a URL outlives a lost access by at most its TTL."""

import time

from django.core import signing
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from django.utils.http import content_disposition_header

STORAGE_ALIAS = "uploads"
_SALT = "planpal.files"


# ---------------------------------------------------------------------------- reading
def uploads_storage():
    return storages[STORAGE_ALIAS]


def is_local(storage=None) -> bool:
    return isinstance(storage or uploads_storage(), FileSystemStorage)


def signed_url(key: str, *, content_type: str, ttl: int, download_name: str | None = None) -> str:
    """A URL that lets its holder GET this object for `ttl` seconds. `download_name` makes the
    browser save the file instead of showing it (everything but images). Local URLs are paths
    on this server; the API makes them absolute."""
    disposition = content_disposition_header(bool(download_name), download_name or "")
    storage = uploads_storage()
    if is_local(storage):
        token = signing.dumps(
            {"k": key, "e": int(time.time()) + ttl, "t": content_type, "d": disposition or ""},
            salt=_SALT,
            compress=True,
        )
        return reverse("file-content", kwargs={"token": token})
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private"}
    if download_name and disposition:  # always one for a download name
        parameters["ResponseContentDisposition"] = disposition
    return storage.url(key, parameters=parameters, expire=ttl)


class BadToken(Exception):
    """A local file token that is forged, damaged or expired."""


def read_token(token: str) -> dict:
    """The {k, e, t, d} of a valid, unexpired local token; BadToken otherwise."""
    try:
        claims = signing.loads(token, salt=_SALT)
    except signing.BadSignature as error:
        raise BadToken("bad signature") from error
    if not isinstance(claims, dict) or not isinstance(claims.get("e"), int):
        raise BadToken("bad claims")
    if claims["e"] < time.time():
        raise BadToken("expired")
    return claims
