"""Fault tests' common shape: many realtime clients that record what they were delivered, a
steady writer on the real REST API, and the comparison of every client's log with the server's."""

import asyncio
import time
import uuid
from dataclasses import dataclass, field

import httpx
from asgiref.sync import sync_to_async

from planpal.client import RealtimeClient
from planpal.groups.models import Membership
from planpal.realtime.models import Event
from tests.conftest import make_user
from tests.realtime.conftest import token_for


@dataclass
class RecordingClient:
    """A RealtimeClient and the (topic, seq, id) of every event it handed to the application,
    after its own dedupe and gap repair: what a user's screen would have applied."""

    client: RealtimeClient
    log: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    since: dict[str, int] = field(default_factory=dict)
    _reader: asyncio.Task | None = None

    async def start(self, topics: dict[str, int]) -> None:
        await self.client.start(timeout=60)
        self.since = dict(topics)
        for topic, since in topics.items():
            self.log[topic] = []
            await self.client.subscribe(topic, since=since)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            frame = await self.client.next_frame(timeout=3600, type="event")
            if frame["topic"] in self.log:
                self.log[frame["topic"]].append((frame["seq"], frame["id"]))

    def caught_up(self, heads: dict[str, int]) -> bool:
        return all(self.position(topic) == heads[topic] for topic in self.log)

    def position(self, topic: str) -> int:
        entries = self.log[topic]
        return entries[-1][0] if entries else self.since[topic]

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        await self.client.close()


def add_members(group, count: int, prefix: str) -> list:
    users = [make_user(f"{prefix}{index}") for index in range(count)]
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role=Membership.Role.MEMBER) for user in users
    )
    return users


def head(topic: str) -> int:
    last = Event.objects.filter(topic=topic).order_by("-seq").values_list("seq", flat=True)
    return last.first() or 0


def server_log(topic: str, after: int) -> list[tuple[int, str]]:
    rows = Event.objects.filter(topic=topic, seq__gt=after).order_by("seq")
    return [(seq, str(event_id)) for seq, event_id in rows.values_list("seq", "id")]


async def open_clients(urls: list[str], users: list, per_user: int, topics: list[str]):
    """per_user connections for each user, spread round-robin over urls, every one following
    `topics` from their current head."""
    heads = {topic: await sync_to_async(head)(topic) for topic in topics}
    clients = []
    for index in range(len(users) * per_user):
        user = users[index % len(users)]
        url = urls[index % len(urls)]
        client = RecordingClient(
            RealtimeClient(url, access_token=token_for(user), ping_seconds=10, max_backoff=4)
        )
        clients.append(client)
    # In batches: a whole crowd connecting at once is the connect-storm test's business.
    for batch in range(0, len(clients), 25):
        await asyncio.gather(*(c.start(heads) for c in clients[batch : batch + 25]))
    return clients, heads


async def wait_caught_up(clients: list[RecordingClient], topics: list[str], timeout: float):
    heads = {topic: await sync_to_async(head)(topic) for topic in topics}
    deadline = time.monotonic() + timeout
    while not all(client.caught_up(heads) for client in clients):
        if time.monotonic() > deadline:
            behind = [c for c in clients if not c.caught_up(heads)]
            sample = {topic: behind[0].position(topic) for topic in topics}
            raise AssertionError(
                f"{len(behind)} of {len(clients)} clients never caught up with {heads}: "
                f"e.g. one is at {sample}"
            )
        await asyncio.sleep(0.2)
    return heads


@dataclass
class ChatWriter:
    """Sends a chat message every `interval` seconds over REST, retrying a failed request with
    the same client_id (the idempotent send), and remembers every answer it got."""

    base_url: str
    user: object
    conversation_id: int
    interval: float = 0.2
    statuses: list[int] = field(default_factory=list)
    sent: int = 0
    _task: asyncio.Task | None = None

    _stopping: bool = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Let the message in flight finish: cancelling it could leave a stored message that
        `sent` does not count."""
        self._stopping = True
        await self._task

    async def _run(self) -> None:
        headers = {"Authorization": f"Bearer {token_for(self.user)}"}
        async with httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=10) as api:
            while not self._stopping:
                await self._send(api, f"message {self.sent}")
                self.sent += 1
                await asyncio.sleep(self.interval)

    async def _send(self, api: httpx.AsyncClient, text: str) -> None:
        body = {"text": text, "client_id": str(uuid.uuid4())}
        url = f"/api/v1/conversations/{self.conversation_id}/messages"
        for _ in range(20):
            try:
                response = await api.post(url, json=body)
            except httpx.TransportError:
                await asyncio.sleep(0.2)  # the process behind the address went away: retry
                continue
            self.statuses.append(response.status_code)
            return
        raise AssertionError(f"no answer for {text!r} after 20 tries")
