"""WebSocket routes."""

from urllib.parse import parse_qs

from channels.routing import URLRouter
from channels.sessions import SessionMiddlewareStack
from django.urls import path

from planpal.core.asgi_types import App, Receive, Scope, Send
from planpal.realtime.consumer import RealtimeConsumer

GATEWAY_PATH = "/ws/"
gateway = RealtimeConsumer.as_asgi()
websocket_urlpatterns = [path(GATEWAY_PATH.lstrip("/"), gateway)]


def websocket_application() -> App:
    """The gateway's ASGI app. Connections with a `?ticket=` (apps, scripts) authenticate by the
    ticket alone, so they skip the session middleware: no session store built in a worker
    thread per connection, no session objects held for the connection's lifetime. Browsers
    without a ticket go through it (cookie auth). The gateway's own path goes straight to it:
    the URL router's match, its copy of the scope and its frame, held for the connection's
    lifetime, are ~1 KB per connection; any other path gets the router's answer."""
    routed = URLRouter(websocket_urlpatterns)
    with_session = SessionMiddlewareStack(gateway)
    routed_with_session = SessionMiddlewareStack(URLRouter(websocket_urlpatterns))

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        direct = scope.get("path") == GATEWAY_PATH and not scope.get("root_path")
        query = scope.get("query_string", b"")
        if b"ticket=" in query and "ticket" in parse_qs(query.decode("latin-1")):
            await (gateway if direct else routed)(scope, receive, send)
        else:
            await (with_session if direct else routed_with_session)(scope, receive, send)

    return application
