"""ASGI's callables as PlanPal's ASGI wrappers see them (the shapes django-stubs gives Django's
handler). Messages are plain mappings: asgiref's per-message TypedDicts would need a cast for
every message type a wrapper merely passes on."""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
