"""Django's HTTP requests on a fixed set of long-lived threads, so that each thread keeps its
database connection from one request to the next as under a threaded WSGI server.

Django's own ASGI handler gives every request a thread of its own (a new single-thread executor
per request, asgiref's `ThreadSensitiveContext`); a connection kept open would then be left
behind by every request, so web processes had to close theirs after each one, and every request
that touched the database opened a new connection. Here a request leases one of `size`
persistent single-thread executors for its whole life (asgiref's `ThreadSensitiveContext(
executor=...)`: the caller owns the executor, it is not shut down on exit). Django's usual
persistent-connection rules then apply per thread: `CONN_MAX_AGE`, a health check on the first
use in each request (`CONN_HEALTH_CHECKS`), and a connection whose transaction state was left
changed is closed when the request ends (`close_old_connections` on `request_finished`). At most
`size` requests run at once per process; the others wait for a thread, first come first served.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.db import connections

from planpal.core.asgi_types import Receive, Scope, Send


class RequestThreads:
    """`size` persistent single-thread executors, leased one per request."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("at least one request thread is needed")
        self.size = size
        self._executors = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{index}")
            for index in range(size)
        ]
        self._idle: asyncio.Queue[ThreadPoolExecutor] | None = None

    async def lease(self) -> ThreadPoolExecutor:
        if self._idle is None:  # created in the server's loop, on its first request
            self._idle = asyncio.Queue()
            for executor in self._executors:
                self._idle.put_nowait(executor)
        return await self._idle.get()

    def release(self, executor: ThreadPoolExecutor) -> None:
        # Its thread may still be finishing a cancelled request's sync code; the next request's
        # calls queue behind it on the same thread, so they never overlap.
        if self._idle is None:
            raise RuntimeError("released a thread that was never acquired")
        self._idle.put_nowait(executor)

    def close(self, *, wait: bool = True) -> None:
        """Close each thread's database connections and end the threads (process shutdown:
        without waiting for a request thread still stuck in a call)."""
        for executor in self._executors:
            executor.submit(connections.close_all)
            executor.shutdown(wait=wait)


class PersistentThreadsHandler(ASGIHandler):
    """Django's ASGI handler, its sync work on `RequestThreads` instead of a thread per request."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.threads = RequestThreads(threads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = await self.threads.lease()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.release(executor)


def get_asgi_application(threads: int) -> PersistentThreadsHandler:
    """Like django.core.asgi.get_asgi_application, with persistent request threads."""
    import django

    django.setup(set_prefix=False)
    return PersistentThreadsHandler(threads)
