"""WebSocket routes."""

from urllib.parse import parse_qs

from channels.routing import URLRouter
from channels.sessions import SessionMiddlewareStack
from django.urls import path

from planpal.core.asgi_types import App, Receive, Scope, Send
from planpal.realtime.consumer import RealtimeConsumer

websocket_urlpatterns = [path("ws/", RealtimeConsumer.as_asgi())]


def websocket_application() -> App:
    """The gateway's ASGI app. Connections with a `?ticket=` (apps, scripts) authenticate by the
    ticket alone, so they skip the session middleware: no session store built in a worker
    thread per connection, no session objects held for the connection's lifetime. Browsers
    without a ticket go through it (cookie auth)."""
    bare = URLRouter(websocket_urlpatterns)
    with_session = SessionMiddlewareStack(URLRouter(websocket_urlpatterns))

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if b"ticket=" in query and "ticket" in parse_qs(query.decode("latin-1")):
            await bare(scope, receive, send)
        else:
            await with_session(scope, receive, send)

    return application
