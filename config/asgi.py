"""ASGI entry point: HTTP to Django (except the SSE stream, served by the realtime gateway like
/ws/), lifespan starts the process's background work (the hub and its outbox sweeper, the
fan-out thread that runs after commits; the embedded scheduler)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

from planpal.core.request_threads import get_asgi_application

# Requests on a fixed set of long-lived threads, each keeping its database connection.
django_asgi_app = get_asgi_application(settings.WEB_REQUEST_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.urls import path, re_path  # noqa: E402

from planpal.core.bodylimit import BodySizeLimit  # noqa: E402
from planpal.core.metrics import process_exited  # noqa: E402
from planpal.realtime import fanout  # noqa: E402
from planpal.realtime.hub import get_hub, local_hub  # noqa: E402
from planpal.realtime.routing import websocket_application  # noqa: E402
from planpal.realtime.sse import EventStreamConsumer, end_streams_on_exit_signal  # noqa: E402


async def lifespan(scope, receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            get_hub()
            fanout.start_background()
            end_streams_on_exit_signal()
            if settings.EMBEDDED:
                from config.celery_app import periodic_schedule
                from planpal.core.background import start_embedded_scheduler

                start_embedded_scheduler(periodic_schedule())
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            # uvicorn has stopped accepting and closed its sockets with 1012; connections it
            # could not close yet get the same from the hub, then background work stops.
            hub = local_hub()
            if hub is not None:
                await hub.shutdown()
            django_asgi_app.threads.close(wait=False)
            process_exited()
            await send({"type": "lifespan.shutdown.complete"})
            return


application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [
                path("api/v1/stream", SessionMiddlewareStack(EventStreamConsumer.as_asgi())),
                # Channels routes ASGI apps with Django's path(); the stubs expect a view.
                re_path(
                    r"",
                    BodySizeLimit(  # type: ignore[arg-type]
                        django_asgi_app,
                        default=settings.MAX_REQUEST_BYTES,
                        by_path=settings.REQUEST_BYTES_BY_PATH,
                    ),
                ),
            ]
        ),
        "websocket": websocket_application(),
        "lifespan": lifespan,
    }
)
