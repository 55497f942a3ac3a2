"""Request bodies are bounded before Django reads them: MAX_REQUEST_BYTES everywhere, the
upload route up to UPLOAD_MAX_MB (planpal.core.bodylimit)."""

import json

import httpx
import pytest
from rest_framework_simplejwt.tokens import AccessToken

from planpal.core.bodylimit import BodySizeLimit
from tests.conftest import make_user
from tests.files import images
from tests.live import LiveServer


class Recorder:
    """An ASGI app that reads the whole body and answers 200 with its length."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})


async def call(app, path: str, chunks: list[bytes], *, declared: int | None = None, headers=()):
    if declared is not None:
        headers = [*headers, (b"content-length", str(declared).encode())]
    scope = {"type": "http", "path": path, "headers": headers, "method": "POST"}
    queue = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent = []

    async def receive():
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def guarded(app):
    return BodySizeLimit(app, default=100, by_path={"/api/v1/uploads": 1000})


async def test_a_declared_body_over_the_limit_never_reaches_the_app():
    app = Recorder()
    status, body = await call(guarded(app), "/api/v1/groups", [b"x" * 101], declared=101)
    assert status == 413 and json.loads(body)["error"]["code"] == "request_too_large"
    assert not app.called


async def test_a_chunked_body_is_cut_off_once_it_passes_the_limit():
    app = Recorder()
    status, body = await call(guarded(app), "/api/v1/groups", [b"x" * 60, b"x" * 60])
    assert status == 413 and b"request_too_large" in body


async def test_the_upload_route_alone_may_send_more():
    status, body = await call(guarded(Recorder()), "/api/v1/uploads", [b"x" * 900], declared=900)
    assert (status, body) == (200, b"900")
    status, _ = await call(guarded(Recorder()), "/api/v1/uploads/", [b"x" * 900], declared=900)
    assert status == 413  # another path, even a near one, has the default
    status, _ = await call(guarded(Recorder()), "/api/v1/uploads", [b"x" * 1001], declared=1001)
    assert status == 413


THE_413 = {
    "en": "The request body is larger than this endpoint accepts (100 bytes).",
    "vi": "Nội dung yêu cầu lớn hơn mức địa chỉ này chấp nhận (100 byte).",
}


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ((), "en"),
        ([(b"accept-language", b"en-US,en;q=0.9")], "en"),
        ([(b"accept-language", b"fr, vi-VN;q=0.9, en;q=0.5")], "vi"),
        ([(b"accept-language", b"vi")], "vi"),
        ([(b"cookie", b"a=b; django_language=vi"), (b"accept-language", b"en")], "vi"),
    ],
)
async def test_the_413_is_in_the_language_of_the_request(headers, language):
    """Accept-Language (or the language cookie) as LocaleMiddleware reads it: nobody is signed
    in this far down. The code is the same in every language."""
    for chunks, declared in (([b"x" * 101], 101), ([b"x" * 60, b"x" * 60], None)):
        status, body = await call(
            guarded(Recorder()), "/api/v1/groups", chunks, declared=declared, headers=headers
        )
        error = json.loads(body)["error"]
        assert (status, error["code"]) == (413, "request_too_large")
        assert error["message"] == THE_413[language]


async def test_a_body_within_the_limit_passes_untouched():
    status, body = await call(guarded(Recorder()), "/api/v1/groups", [b"x" * 50, b"y" * 50])
    assert (status, body) == (200, b"100")


@pytest.mark.slow
def test_a_real_server_bounds_bodies_by_route(transactional_db, tmp_path):
    alice = make_user("alice")
    server = LiveServer(UPLOAD_MAX_MB="1", STORAGE_URL=f"file://{tmp_path}").start()
    try:
        auth = {"Authorization": f"Bearer {AccessToken.for_user(alice)}"}
        with httpx.Client(base_url=server.url, headers=auth, timeout=30) as http:
            big_json = http.post("/api/v1/groups", content=b"[" + b" " * 300_000 + b"]")
            assert big_json.status_code == 413
            assert big_json.json()["error"]["code"] == "request_too_large"
            pdf = images.PDF + b"%" * 700_000  # over MAX_REQUEST_BYTES, under UPLOAD_MAX_MB
            taken = http.post("/api/v1/uploads", files={"file": ("a.pdf", pdf)})
            assert taken.status_code == 201, taken.text
            too_big = images.PDF + b"%" * 1_200_000
            refused = http.post("/api/v1/uploads", files={"file": ("b.pdf", too_big)})
            assert refused.status_code == 413
            streamed = http.post(
                "/api/v1/groups",
                content=(b"x" * 65536 for _ in range(8)),
                headers={"Content-Type": "application/json"},
            )
            assert streamed.status_code == 413
            assert http.get("/api/v1/me").status_code == 200  # the server is fine
        assert [p.name for p in tmp_path.rglob("*.pdf")] == ["original.pdf"]
    finally:
        server.stop()
