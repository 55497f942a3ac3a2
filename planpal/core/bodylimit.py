"""Request body size limits, enforced in front of Django.

Django's ASGI handler reads a whole body (spooling it to disk) before any middleware or view
runs, and its own limits leave files out of the count, so a big body would cost disk and time
whatever the route. This ASGI wrapper refuses a body over the route's limit up front when
Content-Length says so, and stops reading a chunked one as soon as it passes the limit; either
way the answer is 413 in the API's error shape. Every route gets MAX_REQUEST_BYTES; the paths in
REQUEST_BYTES_BY_PATH (the upload route) get theirs. The 413 is written in the language of the
request's Accept-Language (or language cookie): nobody is signed in yet at this level."""

import json

from django.utils import translation
from django.utils.translation import gettext as _

from planpal.core.api_errors import error_body
from planpal.core.asgi_types import App, Message, Receive, Scope, Send
from planpal.core.i18n import language_from_scope


class BodySizeLimit:
    def __init__(self, app: App, *, default: int, by_path: dict[str, int]) -> None:
        self.app = app
        self.default = default
        self.by_path = by_path

    def limit_for(self, path: str) -> int:
        return self.by_path.get(path, self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            await _refuse(scope, send, limit)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    # Django treats a disconnect while reading as an aborted request and
                    # answers nothing; the 413 is sent below.
                    state["exceeded"] = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        await self.app(scope, counted_receive, tracked_send)
        if state["exceeded"] and not state["started"]:
            await _refuse(scope, send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    with translation.override(language_from_scope(scope)):
        message = _("The request body is larger than this endpoint accepts (%(limit)s bytes).") % {
            "limit": limit
        }
    body = json.dumps(error_body("request_too_large", message), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
