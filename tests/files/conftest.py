"""Upload stores for the files tests: a real S3 API server (tests/s3server.py) with a fresh
bucket per test, or a local directory; and images made on the spot."""

from types import SimpleNamespace

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from planpal.files.config import storage_config
from tests.s3server import MotoS3


@pytest.fixture(scope="session")
def moto_s3():
    server = MotoS3().start()
    yield server
    server.stop()


@pytest.fixture
def s3_store(settings, moto_s3):
    """The upload store is a fresh bucket on the S3 API server; `.keys()` lists its objects."""
    bucket = moto_s3.new_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": storage_config(
            storage_url=moto_s3.storage_url(bucket),
            aws={},
            data_dir=None,
            url_ttl=settings.FILES_URL_TTL_SECONDS,
        ),
    }
    return SimpleNamespace(kind="s3", keys=lambda: moto_s3.keys(bucket), bucket=bucket)


@pytest.fixture
def local_store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": storage_config(
            storage_url="", aws={}, data_dir=tmp_path, url_ttl=settings.FILES_URL_TTL_SECONDS
        ),
    }
    root = tmp_path / "uploads"

    def keys() -> list[str]:
        if not root.exists():
            return []
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return SimpleNamespace(kind="local", keys=keys, root=root)


@pytest.fixture(params=["s3", "local"])
def store(request):
    """Each test that takes `store` runs against both: the S3 API server and the local disk."""
    return request.getfixturevalue(f"{request.param}_store")


def upload_file(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def fetch(url: str):
    """GET a signed URL as a browser would, without PlanPal credentials: the S3 API server for
    S3 URLs, this test's server (Django's test client, anonymous) for local ones.
    → (status, body bytes, headers)."""
    if url.startswith("http://testserver/"):
        response = Client().get(url.removeprefix("http://testserver"))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body, response.headers
    response = httpx.get(url, timeout=10)
    return response.status_code, response.content, response.headers
