"""200 members of a group vote at once on an anonymous poll through a real server (MariaDB +
Redis in CI), each also following the group live. The final counts are exact, every vote is
exactly one event, every member's client ends with the server's counts, and no voter is named
in the frames, the event log or the server's request log."""

import asyncio
import json
import time
from collections import Counter

import httpx
import pytest
from asgiref.sync import sync_to_async

from planpal.client import RealtimeClient
from planpal.groups.models import Group, Membership
from planpal.polls.models import Vote
from planpal.realtime.models import Event
from tests.conftest import make_user
from tests.live import LiveServer
from tests.polls.factories import ask, option_ids
from tests.realtime.conftest import token_for
from tests.reliability.streams import add_members

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 200


@pytest.fixture(scope="module")
def logging_server(django_db_setup, django_db_blocker):
    """A server that writes its request log (INFO), so the test can read what it logged."""
    live = LiveServer(LOG_LEVEL="info").start()
    yield live
    live.stop()


class Watcher:
    """One member's live connection, keeping every poll_voted frame it is delivered."""

    def __init__(self, server, user, topic: str) -> None:
        self.client = RealtimeClient(server.url, access_token=token_for(user), ping_seconds=10)
        self.topic = topic
        self.frames: list[dict] = []
        self._reader: asyncio.Task | None = None

    async def start(self, since: int) -> None:
        await self.client.start(timeout=60)
        await self.client.subscribe(self.topic, since=since)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            frame = await self.client.next_frame(timeout=3600, type="event")
            if frame["event"] == "group.poll_voted":
                self.frames.append(frame)

    def counts(self) -> list[int] | None:
        """The counts this member's screen shows: those of the highest version seen."""
        if not self.frames:
            return None
        latest = max(self.frames, key=lambda f: f["data"]["version"])
        return [row["votes"] for row in latest["data"]["results"]["options"]]

    async def close(self) -> None:
        self._reader.cancel()
        await self.client.close()


def crowd():
    alice = make_user("alice")
    group = Group.objects.create(name="Festival", owner=alice)
    Membership.objects.create(group=group, user=alice, role=Membership.Role.OWNER)
    voters = add_members(group, VOTERS, "fan")
    poll = ask(alice, group=group, anonymous=True, labels=("Porto", "Sintra", "Faro", "Evora"))
    return group, poll, voters


async def vote_all(server, poll, voters, choices) -> list[int]:
    limits = httpx.Limits(max_connections=VOTERS, max_keepalive_connections=VOTERS)
    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1", limits=limits, timeout=60) as api:

        async def vote(user, option):
            headers = {"Authorization": f"Bearer {token_for(user)}"}
            body = {"options": [option]}
            response = await api.put(f"/polls/{poll.pk}/votes", json=body, headers=headers)
            return response.status_code

        return await asyncio.gather(*(vote(u, c) for u, c in zip(voters, choices, strict=True)))


async def test_two_hundred_members_vote_at_once(logging_server):
    group, poll, voters = await sync_to_async(crowd)()
    topic = f"group:{group.pk}"
    options = await sync_to_async(option_ids)(poll)
    choices = [options[n % 7 % 4] for n in range(VOTERS)]
    since = await sync_to_async(lambda: Event.objects.filter(topic=topic).count())()
    watchers = [Watcher(logging_server, user, topic) for user in voters]
    for batch in range(0, VOTERS, 25):
        await asyncio.gather(*(w.start(since) for w in watchers[batch : batch + 25]))

    try:
        started = time.monotonic()
        statuses = await vote_all(logging_server, poll, voters, choices)
        print(f"{VOTERS} votes answered in {time.monotonic() - started:.2f} s")
        expected = Counter(choices)
        final = [expected[pk] for pk in options]
        for _ in range(300):  # up to 30 s for the last frames
            if all(w.counts() == final and len(w.frames) == VOTERS for w in watchers):
                break
            await asyncio.sleep(0.1)
    finally:
        for watcher in watchers:
            await watcher.close()

    assert statuses == [200] * VOTERS
    stored = await sync_to_async(
        lambda: Counter(Vote.objects.values_list("option_id", flat=True))
    )()
    assert stored == expected
    rows = await sync_to_async(list)(Event.objects.filter(name="group.poll_voted").order_by("seq"))
    assert len(rows) == VOTERS
    assert [row.payload["version"] for row in rows] == list(range(2, VOTERS + 2))
    assert [o["votes"] for o in rows[-1].payload["results"]["options"]] == final
    for watcher in watchers:
        assert len(watcher.frames) == VOTERS and watcher.counts() == final
    # Anonymous: no frame and no event row names a voter.
    frames = [frame for watcher in watchers for frame in watcher.frames]
    assert {(f["actor"], f["client_id"], f["data"]["ballot"]) for f in frames} == {
        (None, None, None)
    }
    assert {(row.actor_id, row.client_id) for row in rows} == {(None, None)}
    vote_lines = [
        line
        for line in logging_server.log_path.read_text().splitlines()
        if "polls/<id:poll_id>/votes" in line
    ]
    assert len(vote_lines) == VOTERS
    assert not [line for line in vote_lines if "user_id" in line], vote_lines[:3]
    assert all(json.dumps(f["data"]).count('"username"') == 0 for f in frames[:VOTERS])
