"""Redis commands of many connections in one round trip (docs/benchmarks-history.md, connect path).

Each connect wrote presence in four or five separate Redis calls (the user's slot, the online
hash, the announced flag, one member per followed topic), each a pool checkout, a socket write
and a reply parsed on the event loop: in a burst of connects that was about 40 % of the
gateway's CPU. Commands queued here during one turn of the event loop — and while the previous
batch is in flight — go out as one pipeline (not a transaction: each command, or a Lua script,
is atomic on its own), in the order they were queued, one batch at a time.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

log = logging.getLogger(__name__)

# Commands per pipeline: a reconnect storm's batch would otherwise hold the event loop (and
# every delivery) while thousands of commands are packed and their replies parsed.
MAX_COMMANDS = 1000

Build = Callable[[Pipeline], object]  # adds commands to the pipeline
Replies = asyncio.Future[list[Any]]


class CommandBatch:
    def __init__(self, client: Redis, spawn: Callable[[Coroutine[Any, Any, None]], object]) -> None:
        self.client = client
        self.spawn = spawn
        self.queued: deque[tuple[Build, Replies | None]] = deque()
        self.flushing = False

    def post(self, build: Build) -> None:
        """Fire and forget: a failure is logged (once per batch), never raised."""
        self._queue(build, None)

    def send(self, build: Build) -> Replies:
        """The replies of the commands `build` adds, or the first error among them."""
        future: Replies = asyncio.get_running_loop().create_future()
        self._queue(build, future)
        return future

    def _queue(self, build: Build, future: Replies | None) -> None:
        self.queued.append((build, future))
        if not self.flushing:
            self.flushing = True
            self.spawn(self._flush())

    async def _flush(self) -> None:
        try:
            while self.queued:
                await self._round()
        finally:
            self.flushing = False

    async def _round(self) -> None:
        pipe = self.client.pipeline(transaction=False)
        taken: list[tuple[int, int, Replies | None]] = []
        while self.queued and len(pipe) < MAX_COMMANDS:
            build, future = self.queued.popleft()
            start = len(pipe)
            try:
                build(pipe)
            except Exception as exc:  # noqa: BLE001 - a bad command fails its caller alone
                del pipe.command_stack[start:]
                self._fail(future, exc)
                continue
            taken.append((start, len(pipe), future))
        replies: list[Any]
        try:
            replies = await pipe.execute(raise_on_error=False)
        except Exception as exc:  # noqa: BLE001 - every caller hears of it, or it is logged
            replies = [exc] * len(pipe)
        failed = None
        for start, end, future in taken:
            mine = replies[start:end]
            error = next((r for r in mine if isinstance(r, Exception)), None)
            if future is None:
                failed = failed or error
            elif not future.done():  # not cancelled meanwhile
                if error is None:
                    future.set_result(mine)
                else:
                    future.set_exception(error)
        if failed is not None:
            log.warning("batched redis write failed: %s", failed)

    @staticmethod
    def _fail(future: Replies | None, exc: Exception) -> None:
        if future is None:
            log.warning("batched redis write failed: %s", exc)
        elif not future.done():
            future.set_exception(exc)
