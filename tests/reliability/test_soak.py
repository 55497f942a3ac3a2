"""Soak: about 500 realtime connections on two `planpal web` processes for SOAK_SECONDS (300) under
REST writes (activities, plan edits, group chat with client_id), typing and reconnects. At the end
every device's event log equals the server's event log for each topic it follows — no gap, no
duplicate, same order — and the servers' memory is flat.

Clients are the reference client (`planpal.client.RealtimeClient`): it reconnects with backoff,
resubscribes with `since` and drops duplicates, so the logs compared are what an app would apply.
500 of them cost the test process about a tenth of a core at this event rate (printed with the
figures); bench/loadgen.py's raw-socket client would be cheaper but it keeps no event ids.

Run with `make soak` (MariaDB or PostgreSQL + Redis). SOAK_SECONDS and SOAK_CONNECTIONS shorten it
for development.
"""

import asyncio
import contextlib
import itertools
import logging
import os
import random
import statistics
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import psutil
import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from planpal.chat.services import conversation_create_for_group
from planpal.client import RealtimeClient
from planpal.groups.models import Group, Membership
from planpal.plans.models import Activity, Plan
from planpal.realtime.models import Event
from tests.conftest import make_user
from tests.live import LiveServer
from tests.realtime.conftest import require_redis, token_for
from tests.reliability.streams import server_log

pytestmark = [pytest.mark.soak, pytest.mark.django_db(transaction=True)]

SECONDS = float(os.environ.get("SOAK_SECONDS", "300"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "500"))
MEMBERS_PER_GROUP = 12
PLANS_PER_GROUP = 2
DEVICES_PER_MEMBER = 4  # on average: CONNECTIONS are spread over every member

# Rates for the whole soak. Moderate on purpose: correctness and stability, not throughput.
WRITES_PER_SECOND = 4.0
TYPING_PER_SECOND = 3.0
DROPS_PER_SECOND = 1.5  # single devices losing their connection
STORMS = (0.4, 0.75)  # …and at these fractions of the run, 10% of devices at once
RSS_EVERY = 5.0

# Memory is flat when the median RSS of the last window exceeds the one of the first window after
# warm-up by less than both bounds. A server starts at ~135 MB. Measured over 300 s: +9-14%
# (+12-21 MB), nearly all of it cyclic garbage of finished requests and connections that the hub's
# GC policy froze while it was still alive and reclaims only at its 30-minute sweep (with a full
# collection every 20 s instead the same run grew by 1%). A leak per connection (~500
# connect/disconnect cycles), per event (~70,000 deliveries) or per typing frame (~40,000) of even
# a few hundred bytes on top of that crosses the bounds.
RSS_GROWTH_RATIO = 0.25
RSS_GROWTH_BYTES = 50 * 2**20

CATCH_UP_SECONDS = 90


def require_services() -> None:
    require_redis()
    if connection.vendor not in ("mysql", "postgresql"):
        if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
            pytest.fail(f"PLANPAL_REQUIRE_SERVICES is set but the database is {connection.vendor}")
        pytest.skip("needs MariaDB or PostgreSQL: set DATABASE_URL (CI runs it with MariaDB)")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    require_services()
    pair = []
    try:
        for _ in range(2):
            pair.append(LiveServer().start())
        yield pair
    finally:
        for live in pair:
            live.stop()


# ---------------------------------------------------------------------------- the world


@dataclass
class PlanState:
    id: int
    owner_id: int
    version: int = 1
    activities: dict[int, dict] = field(default_factory=dict)  # id → {"version", "done"}
    slots: itertools.count = field(default_factory=itertools.count)

    @property
    def topic(self) -> str:
        return f"plan:{self.id}"


@dataclass
class GroupState:
    id: int
    conversation_id: int
    members: list  # users, the owner first
    plans: list[PlanState]

    @property
    def topic(self) -> str:
        return f"group:{self.id}"


def build_world(groups: int) -> list[GroupState]:
    """Groups of MEMBERS_PER_GROUP users, each with PLANS_PER_GROUP upcoming plans of three
    activities. Fixture data written with the ORM: it emits no events, every log starts empty."""
    start = timezone.now() + timedelta(days=3)
    world = []
    for g in range(groups):
        members = [make_user(f"soak{g}m{m}") for m in range(MEMBERS_PER_GROUP)]
        group = Group.objects.create(name=f"Soak {g}", owner=members[0])
        conversation = conversation_create_for_group(group=group)
        Membership.objects.bulk_create(
            Membership(
                group=group,
                user=user,
                role=Membership.Role.OWNER if i == 0 else Membership.Role.MEMBER,
            )
            for i, user in enumerate(members)
        )
        plans = []
        for p in range(PLANS_PER_GROUP):
            plan = Plan.objects.create(
                title=f"Soak {g}.{p}",
                group=group,
                creator=members[0],
                start_at=start,
                end_at=start + timedelta(days=60),
            )
            state = PlanState(plan.pk, members[0].pk)
            for index in range(3):
                slot = next(state.slots)
                activity = Activity.objects.create(
                    plan=plan,
                    title=f"activity {index}",
                    position=index,
                    created_by=members[0],
                    starts_at=start + timedelta(hours=slot),
                    ends_at=start + timedelta(hours=slot, minutes=50),
                )
                state.activities[activity.pk] = {"version": activity.version, "done": False}
            plans.append(state)
        world.append(GroupState(group.pk, conversation.pk, members, plans))
    return world


# ---------------------------------------------------------------------------- devices


class CountingClient(RealtimeClient):
    """The reference client, counting what arrives on the wire before it drops duplicates and
    turns gaps into replays."""

    wire = Counter()

    async def _handle_event(self, topic, frame):
        last = self.last_seq.get(topic)
        self.wire["events"] += 1
        if last is not None and frame["seq"] <= last:
            self.wire["duplicates"] += 1
        elif last is not None and frame["seq"] > last + 1:
            self.wire["gaps"] += 1
        await super()._handle_event(topic, frame)


@dataclass
class Device:
    user: object
    servers: list[LiveServer]
    home: int  # index of the server it connects to
    topics: list[str]
    client: CountingClient | None = None
    since: dict[str, int] = field(default_factory=dict)  # sent with the first subscribe
    start: dict[str, int] = field(default_factory=dict)  # the log position it starts from
    log: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    replay_until: dict[str, int] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    problems: list[dict] = field(default_factory=list)
    reader: asyncio.Task | None = None

    async def open(self) -> None:
        self.client = CountingClient(
            self.servers[self.home].url, access_token=token_for(self.user), ping_seconds=20
        )
        await self.client.start(timeout=60)
        welcome = await self.client.next_frame(timeout=30, type="subscribed")
        user_topic = welcome["topic"]
        self.topics.append(user_topic)
        self.reader = asyncio.create_task(self._read())
        # The automatic user subscription is live from now: follow it from its head explicitly,
        # so a reconnect replays what it carried meanwhile.
        self.since[user_topic] = welcome["seq"]
        await self.client.subscribe(user_topic, since=welcome["seq"])
        for topic in self.topics[:-1]:
            await self.client.subscribe(topic)

    def subscribed(self) -> bool:
        return set(self.start) == set(self.topics)

    def position(self, topic: str) -> int:
        entries = self.log.get(topic)
        return entries[-1][0] if entries else self.start.get(topic, -1)

    async def _read(self) -> None:
        async for frame in self.client.frames():
            kind, topic = frame["type"], frame.get("topic")
            if kind == "event":
                self.log[topic].append((frame["seq"], frame["id"]))
                self.counts["events"] += 1
                if frame["seq"] <= self.replay_until.get(topic, 0):
                    self.counts["replayed"] += 1
            elif kind == "subscribed" and topic not in self.start and frame["ref"] is not None:
                self.start[topic] = self.since.get(topic, frame["seq"])
            elif kind == "subscribed":
                self.counts["resubscribed"] += 1
                self.replay_until[topic] = frame["seq"]
            elif kind in ("typing", "presence.changed"):
                self.counts[kind] += 1
            else:  # reset (recovered: false), error, unsubscribed, closed: none is expected
                self.problems.append(frame)

    async def typing(self, topic: str) -> bool:
        if not self.client.connected.is_set():
            return False
        try:
            await self.client.send({"op": "typing", "topic": topic})
        except Exception:  # noqa: BLE001 - the socket is being dropped: typing is best effort
            return False
        return True

    async def drop(self, *, abrupt: bool, move: bool) -> bool:
        """Lose the connection (abrupt: no closing handshake, like a network loss); with move,
        come back on the other server, as behind a load balancer."""
        ws = self.client._ws
        if not self.client.connected.is_set() or ws is None:
            return False
        if move:
            self.home = 1 - self.home
            self.client.base_url = self.servers[self.home].url
        if abrupt:
            self.client.connected.clear()
            ws.transport.abort()
        else:
            await self.client.drop_connection()
        return True

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        await self.client.close()


def devices_for(world: list[GroupState], servers: list[LiveServer], count: int) -> list[Device]:
    members = [(group, user) for group in world for user in group.members]
    devices = []
    for index in range(count):
        group, user = members[index % len(members)]
        topics = [group.topic, *(plan.topic for plan in group.plans)]
        home = (index % len(members) + index // len(members)) % 2  # a user's devices alternate
        devices.append(Device(user, servers, home, topics))
    return devices


# ---------------------------------------------------------------------------- load


class Load:
    """REST writes through both servers, typing over WebSockets and dropped connections."""

    def __init__(self, world, servers, devices, deadline: float) -> None:
        self.world = world
        self.devices = devices
        self.deadline = deadline
        # One HTTP client per server, shared by every user: building one costs a TLS context.
        self.http = [
            httpx.AsyncClient(base_url=f"{server.url}/api/v1", timeout=30) for server in servers
        ]
        self.tokens: dict[int, str] = {}
        self.statuses: Counter = Counter()
        self.writes: Counter = Counter()
        self.failures: list[str] = []
        self.chat_ids: set[int] = set()
        self.typing = 0
        self.drops: Counter = Counter()

    async def call(self, kind: str, user, method: str, path: str, **kwargs) -> dict | None:
        """A write as `user` through either server."""
        if user.pk not in self.tokens:
            self.tokens[user.pk] = token_for(user)
        headers = {"Authorization": f"Bearer {self.tokens[user.pk]}"}
        try:
            response = await random.choice(self.http).request(
                method, path, headers=headers, **kwargs
            )
        except httpx.HTTPError as exc:
            self.failures.append(f"{kind}: {type(exc).__name__} {exc}")
            return None
        self.statuses[response.status_code] += 1
        if response.status_code >= 300:
            self.failures.append(f"{kind}: {response.status_code} {response.text[:300]}")
            return None
        self.writes[kind] += 1
        return response.json()

    async def pause(self, rate: float) -> bool:
        await asyncio.sleep(random.expovariate(rate))
        return time.monotonic() < self.deadline

    async def writer(self, group: GroupState) -> None:
        """One writer per group, one write at a time: it always knows the current versions."""
        actions = [self.chat] * 7 + [self.update] * 5 + [self.create] * 3
        actions += [self.complete] * 3 + [self.edit_plan] * 2
        while await self.pause(WRITES_PER_SECOND / len(self.world)):
            await random.choice(actions)(group)

    async def chat(self, group: GroupState) -> None:
        body = {"text": f"hello {uuid.uuid4().hex[:8]}", "client_id": str(uuid.uuid4())}
        user = random.choice(group.members)
        path = f"/conversations/{group.conversation_id}/messages"
        message = await self.call("chat", user, "POST", path, json=body)
        if message is None:
            return
        self.chat_ids.add(message["id"])
        if random.random() < 0.1:  # a retry (e.g. the answer was lost): same message, no event
            again = await self.call("chat retry", user, "POST", path, json=body)
            if again is not None and again["id"] != message["id"]:
                self.failures.append(f"chat retry made message {again['id']} ≠ {message['id']}")

    async def update(self, group: GroupState) -> None:
        plan = random.choice(group.plans)
        activity_id = random.choice(list(plan.activities))
        state = plan.activities[activity_id]
        body = {"notes": f"note {uuid.uuid4().hex[:8]}", "version": state["version"]}
        user = random.choice(group.members)
        if answer := await self.call(
            "activity update", user, "PATCH", f"/activities/{activity_id}", json=body
        ):
            state["version"] = answer["version"]

    async def create(self, group: GroupState) -> None:
        plan = random.choice(group.plans)
        base = timezone.now() + timedelta(days=3)  # plans start 3 days after the world is built
        slot = next(plan.slots)
        starts = (base + timedelta(days=1, hours=slot)).isoformat()
        ends = (base + timedelta(days=1, hours=slot, minutes=50)).isoformat()
        body = {"title": f"activity {slot}", "starts_at": starts, "ends_at": ends}
        user = random.choice(group.members)
        if answer := await self.call(
            "activity create", user, "POST", f"/plans/{plan.id}/activities", json=body
        ):
            plan.activities[answer["id"]] = {"version": answer["version"], "done": False}

    async def complete(self, group: GroupState) -> None:
        plan = random.choice(group.plans)
        activity_id = random.choice(list(plan.activities))
        state = plan.activities[activity_id]
        verb = "reopen" if state["done"] else "complete"
        user = random.choice(group.members)
        if answer := await self.call(
            f"activity {verb}", user, "POST", f"/activities/{activity_id}/{verb}"
        ):
            state.update(version=answer["version"], done=not state["done"])

    async def edit_plan(self, group: GroupState) -> None:
        plan = random.choice(group.plans)
        body = {"description": f"edit {uuid.uuid4().hex[:8]}", "version": plan.version}
        if answer := await self.call(
            "plan edit", group.members[0], "PATCH", f"/plans/{plan.id}", json=body
        ):
            plan.version = answer["version"]

    async def typist(self) -> None:
        while await self.pause(TYPING_PER_SECOND):
            device = random.choice(self.devices)
            self.typing += await device.typing(random.choice(device.topics[:-1]))

    async def dropper(self) -> None:
        while await self.pause(DROPS_PER_SECOND):
            await self.drop(random.choice(self.devices), "single")

    async def storms(self, started: float) -> None:
        for at in STORMS:
            await asyncio.sleep(max(0.0, started + at * SECONDS - time.monotonic()))
            for device in random.sample(self.devices, max(1, len(self.devices) // 10)):
                await self.drop(device, "storm", abrupt=True)

    async def drop(self, device: Device, kind: str, abrupt: bool | None = None) -> None:
        abrupt = random.random() < 0.5 if abrupt is None else abrupt
        if await device.drop(abrupt=abrupt, move=random.random() < 0.5):
            self.drops[f"{kind} {'abrupt' if abrupt else 'closed'}"] += 1

    async def close(self) -> None:
        for client in self.http:
            await client.aclose()


class MemoryWatch:
    """Each server's resident memory (its whole process tree) every RSS_EVERY seconds."""

    def __init__(self, servers: list[LiveServer]) -> None:
        self.servers = servers
        self.samples: list[tuple[float, list[int]]] = []

    def rss(self, server: LiveServer) -> int:
        total = 0
        for process in process_tree(server.process.pid):
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    async def run(self, started: float) -> None:
        while True:
            if all(server.alive() for server in self.servers):
                rss = [self.rss(server) for server in self.servers]
                self.samples.append((time.monotonic() - started, rss))
            await asyncio.sleep(RSS_EVERY)

    def window(self, index: int, start: float, end: float) -> list[int]:
        return [rss[index] for at, rss in self.samples if start <= at <= end]


# ---------------------------------------------------------------------------- phases


async def connect_all(devices: list[Device]) -> float:
    started = time.monotonic()
    gate = asyncio.Semaphore(20)

    async def one(device: Device) -> None:
        async with gate:
            await device.open()

    await asyncio.gather(*(one(device) for device in devices))
    deadline = time.monotonic() + 60
    while not all(device.subscribed() for device in devices):
        assert time.monotonic() < deadline, "devices not subscribed within 60 s"
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def run_load(load: Load, memory: MemoryWatch) -> None:
    started = time.monotonic()
    sampler = asyncio.create_task(memory.run(started))
    tasks = [load.writer(group) for group in load.world]
    tasks += [load.typist(), load.dropper(), load.storms(started)]
    try:
        await asyncio.gather(*tasks)
    finally:
        sampler.cancel()


async def catch_up(devices: list[Device], heads: dict[str, int]) -> tuple[float, list[str]]:
    """Wait until every device holds the head of every topic it follows; the laggards if not."""
    started = time.monotonic()
    while True:
        behind = [
            f"{device.user.username} {topic}: {device.position(topic)} < {heads.get(topic, 0)}"
            for device in devices
            for topic in device.topics
            if device.position(topic) < heads.get(topic, 0)
        ]
        if not behind or time.monotonic() - started > CATCH_UP_SECONDS:
            return time.monotonic() - started, behind
        await asyncio.sleep(0.5)


def server_heads(topics) -> dict[str, int]:
    rows = Event.objects.filter(topic__in=topics).values("topic").annotate(head=Max("seq"))
    return {row["topic"]: row["head"] for row in rows}


def process_tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def mib(value: float) -> str:
    return f"{value / 2**20:.1f} MiB"


# ---------------------------------------------------------------------------- the test


def test_every_device_ends_with_the_servers_event_log(servers, caplog):
    caplog.set_level(logging.WARNING, logger="planpal.client")  # a line per reconnect otherwise
    wall = time.monotonic()
    groups = max(1, round(CONNECTIONS / (MEMBERS_PER_GROUP * DEVICES_PER_MEMBER)))
    world = build_world(groups)
    devices = devices_for(world, servers, CONNECTIONS)
    loop = asyncio.new_event_loop()
    load = memory = None
    try:
        connect_seconds = loop.run_until_complete(connect_all(devices))
        load = Load(world, servers, devices, time.monotonic() + SECONDS)
        memory = MemoryWatch(servers)
        # The test process on its own (the servers are its children), each server with its own.
        processes = [[psutil.Process()], *(process_tree(s.process.pid) for s in servers)]
        cpu_before = [cpu_seconds(tree) for tree in processes]
        load_started = time.monotonic()
        loop.run_until_complete(run_load(load, memory))
        load_seconds = time.monotonic() - load_started
        cpu = [
            100 * (cpu_seconds(tree) - before) / load_seconds
            for tree, before in zip(processes, cpu_before, strict=True)
        ]
        topics = {topic for device in devices for topic in device.topics}
        heads = server_heads(topics)  # the loop is paused: the ORM may run here
        caught_up_seconds, behind = loop.run_until_complete(catch_up(devices, heads))
    finally:
        for device in devices:
            if device.client is not None:
                loop.run_until_complete(device.close())
        if load is not None:
            loop.run_until_complete(load.close())
        loop.close()

    mismatches = []
    logs = {topic: server_log(topic, 0) for topic in topics}
    for device in devices:
        for topic in device.topics:
            expected = [entry for entry in logs[topic] if entry[0] > device.start[topic]]
            if device.log[topic] != expected:
                mismatches.append(describe(device, topic, expected))

    counts = sum((device.counts for device in devices), Counter())
    reconnects = sum(device.client.connections - 1 for device in devices)
    chat_events = Event.objects.filter(topic__startswith="group:", name="group.message_sent")
    print(
        f"\nsoak: {len(devices)} connections on 2 servers, {groups} groups x {MEMBERS_PER_GROUP}"
        f" members, {len(topics)} topics; connected in {connect_seconds:.1f} s; load"
        f" {load_seconds:.0f} s; caught up {caught_up_seconds:.1f} s after it;"
        f" wall {time.monotonic() - wall:.0f} s"
    )
    print(
        f"soak: writes {sum(load.writes.values())} {dict(load.writes)};"
        f" statuses {dict(load.statuses)}"
    )
    print(
        f"soak: events in the log {sum(len(entries) for entries in logs.values())}; deliveries"
        f" {counts['events']} (replayed {counts['replayed']}); wire {dict(CountingClient.wire)}"
    )
    print(
        f"soak: typing sent {load.typing}, received {counts['typing']}; presence.changed"
        f" {counts['presence.changed']}"
    )
    print(
        f"soak: drops {dict(load.drops)}; reconnects {reconnects}; resubscriptions"
        f" {counts['resubscribed']}"
    )
    print(
        f"soak: CPU during the load: test process {cpu[0]:.0f}%,"
        f" servers {cpu[1]:.0f}% and {cpu[2]:.0f}%"
    )
    growth = memory_report(memory, load_seconds)

    assert all(server.alive() for server in servers), "a server exited"
    errors = [line for server in servers for line in logged_errors(server)]
    assert not errors, f"{len(errors)} errors logged by the servers: {errors[:5]}"
    assert not [s for s in load.statuses if s >= 500], load.failures[:10]
    assert not load.failures, load.failures[:10]
    assert len(load.chat_ids) == chat_events.count(), "a chat retry emitted an event"
    assert not behind, f"{len(behind)} device topics not caught up: {behind[:10]}"
    problems = [(d.user.username, p) for d in devices for p in d.problems]
    assert not problems, problems[:10]
    assert not mismatches, f"{len(mismatches)} device logs differ: {mismatches[:5]}"
    for index, (before, after) in enumerate(growth):
        assert after - before < min(RSS_GROWTH_RATIO * before, RSS_GROWTH_BYTES), (
            f"server {index} grew from {mib(before)} to {mib(after)}"
        )


def logged_errors(server: LiveServer) -> list[str]:
    """Errors and tracebacks in a server's log: a 5xx the clients retried past (a ticket, a
    reconnect) or a crashed connection handler shows up here."""
    lines = server.log_path.read_text(errors="replace").splitlines()
    marks = ('"level": "error"', '"level": "critical"', "Traceback", " ERROR ", " CRITICAL ")
    return [line[:500] for line in lines if any(mark in line for mark in marks)]


def describe(device: Device, topic: str, expected: list) -> str:
    got = device.log[topic]
    seqs = [seq for seq, _ in got]
    first = next(
        (i for i, pair in enumerate(zip(got, expected, strict=False)) if pair[0] != pair[1]), None
    )
    return (
        f"{device.user.username} {topic} from {device.start[topic]}: got {len(got)} expected"
        f" {len(expected)}, duplicates {len(seqs) - len(set(seqs))}, first difference at {first}"
    )


def memory_report(memory: MemoryWatch, seconds: float) -> list[tuple[float, float]]:
    """(first window after warm-up, last window) median RSS per server; the warm-up and each
    window are a fifth of the run, at most a minute."""
    window = min(60.0, seconds / 5)
    growth = []
    for index in range(2):
        series = [rss[index] for _, rss in memory.samples]
        before = statistics.median(memory.window(index, window, 2 * window))
        after = statistics.median(memory.window(index, seconds - window, seconds))
        growth.append((before, after))
        print(
            f"soak: server {index} RSS min {mib(min(series))} max {mib(max(series))}; first"
            f" sample {mib(series[0])}, after warm-up {mib(before)}, at the end {mib(after)}"
            f" ({100 * (after - before) / before:+.1f}%, {len(series)} samples)"
        )
    return growth
