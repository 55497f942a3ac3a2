"""A small Server-Sent Events reader for tests: GET /api/v1/stream, message by message."""

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Message:
    id: str | None = None
    data: dict[str, Any] | None = None
    comments: list[str] = field(default_factory=list)
    retry: int | None = None


class SseStream:
    """stream = await SseStream.open(server, headers=..., topics=...); await stream.next()."""

    def __init__(self, client: httpx.AsyncClient, response: httpx.Response) -> None:
        self.client, self.response = client, response
        self.lines = response.aiter_lines()
        self.last_id: str | None = None

    @classmethod
    async def open(cls, url: str, *, headers: dict[str, str], **params: str) -> "SseStream":
        client = httpx.AsyncClient(timeout=httpx.Timeout(10, read=None))
        request = client.build_request(
            "GET", f"{url}/api/v1/stream", params=params, headers=headers
        )
        response = await client.send(request, stream=True)
        return cls(client, response)

    async def next(self, timeout: float = 10) -> Message | None:
        """The next message (comment-only blocks included); None once the response ended."""
        return await asyncio.wait_for(self._read(), timeout)

    async def _read(self) -> Message | None:
        message, seen = Message(), False
        async for line in self.lines:
            if line == "":
                if seen:
                    return message
                continue
            seen = True
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "":
                message.comments.append(value)
            elif name == "id":
                message.id = self.last_id = value
            elif name == "data":
                message.data = json.loads(value)
            elif name == "retry":
                message.retry = int(value)
        return None

    async def frame(self, type: str, timeout: float = 10) -> Message:
        """Skip to the next message whose data has this `type`."""
        while True:
            message = await self.next(timeout)
            assert message is not None, f"stream ended before a {type!r} frame"
            if message.data and message.data.get("type") == type:
                return message

    async def events(self, count: int, timeout: float = 10) -> list[Message]:
        return [await self.frame("event", timeout) for _ in range(count)]

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.response.aclose()
        await self.client.aclose()
