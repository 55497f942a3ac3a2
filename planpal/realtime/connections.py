"""What the hub, presence and housekeeping know of a live connection (a WebSocket or an SSE
stream, both `subscriptions.TopicSubscriber`), so that none of them imports a transport."""

from collections.abc import Collection
from typing import Protocol


class Subscriber(Protocol):
    """A follower of topics, as the hub delivers to it."""

    conn_id: str
    user_id: int

    def accept_event(self, topic: str, seq: int, revoked: str, frame: str) -> None: ...

    def accept_ephemeral(self, topic: str, frame: str) -> None: ...


class Connection(Subscriber, Protocol):
    """An admitted connection: counted for its user, kept alive and ended by housekeeping."""

    closing: bool
    last_active_wall: float  # wall-clock time of the client's last frame
    presence_touched: float  # monotonic time presence was last told the client spoke

    def tick(self, now: float) -> None: ...

    def shut(self, code: int, reason: str = "") -> None: ...


class Topic(Protocol):
    """A topic this process follows, as presence and housekeeping see it."""

    @property
    def subscribers(self) -> Collection[Subscriber]: ...
