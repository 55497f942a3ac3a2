"""The gateway's Redis writes of one event-loop turn share a round trip (planpal/realtime/batch.py):
per-connection presence writes used to cost the gateway ~40 % of its CPU in a burst of connects."""

import asyncio
from types import SimpleNamespace

import pytest

from planpal.realtime.batch import CommandBatch
from planpal.realtime.presence import RedisPresence


class FakePipeline:
    """Records commands; each command's reply is its name, or the error given for it."""

    def __init__(self, client) -> None:
        self.client = client
        self.commands: list[tuple] = []
        self.command_stack = self.commands  # redis-py's name for it

    def __len__(self) -> int:
        return len(self.commands)

    def __getattr__(self, name):
        def command(*args):
            self.commands.append((name, *args))
            return self

        return command

    async def execute(self, raise_on_error=True):
        self.client.round_trips.append([c[0] for c in self.commands])
        if self.client.down:
            raise ConnectionError("redis is down")
        return [self.client.errors.get(c[0], c[0]) for c in self.commands]


class FakeRedis:
    def __init__(self) -> None:
        self.round_trips: list[list[str]] = []
        self.errors: dict[str, Exception] = {}
        self.down = False

    def pipeline(self, transaction=True):
        assert not transaction
        return FakePipeline(self)


async def test_the_presence_writes_of_many_connects_share_one_round_trip():
    client = FakeRedis()
    presence = RedisPresence(SimpleNamespace(users={}, spawn=asyncio.ensure_future), client)
    connections = [SimpleNamespace(user_id=n, conn_id=f"c{n}") for n in range(50)]
    for connection in connections:
        presence.joined(f"group:{connection.user_id}", connection)
        presence.joined("plan:1", connection)
        presence.left("plan:1", connection)
    await asyncio.sleep(0.01)
    assert len(client.round_trips) == 1
    assert client.round_trips[0].count("zadd") == 100
    assert client.round_trips[0].count("zrem") == 50
    assert client.round_trips[0][:4] == ["zadd", "zadd", "zrem", "zadd"]  # in order


async def test_each_caller_gets_its_own_replies_in_order():
    client = FakeRedis()
    client.errors["getdel"] = ValueError("wrong type")
    batch = CommandBatch(client, asyncio.ensure_future)
    first = batch.send(lambda pipe: pipe.zadd("k", {}).zcard("k"))
    second = batch.send(lambda pipe: pipe.getdel("t"))
    third = batch.send(lambda pipe: pipe.hvals("h"))
    assert await first == ["zadd", "zcard"]
    with pytest.raises(ValueError, match="wrong type"):
        await second
    assert await third == ["hvals"]
    assert client.round_trips == [["zadd", "zcard", "getdel", "hvals"]]


async def test_commands_queued_while_a_batch_is_in_flight_go_in_the_next_one():
    client = FakeRedis()
    batch = CommandBatch(client, asyncio.ensure_future)
    first = batch.send(lambda pipe: pipe.zadd("a", {}))
    await asyncio.sleep(0)  # the first batch is on its way
    later = [batch.send(lambda pipe: pipe.zrem("a", "x")) for _ in range(3)]
    await asyncio.gather(first, *later)
    assert client.round_trips == [["zadd"], ["zrem", "zrem", "zrem"]]


async def test_redis_down_fails_the_waiting_callers_and_logs_the_posted_writes(caplog):
    client = FakeRedis()
    client.down = True
    batch = CommandBatch(client, asyncio.ensure_future)
    batch.post(lambda pipe: pipe.zadd("a", {}))
    waiting = batch.send(lambda pipe: pipe.getdel("t"))
    with pytest.raises(ConnectionError):
        await waiting
    await asyncio.sleep(0)
    assert "batched redis write failed: redis is down" in caplog.text
    client.down = False
    assert await batch.send(lambda pipe: pipe.hvals("h")) == ["hvals"]  # and it recovers


async def test_a_command_that_cannot_be_built_fails_its_caller_alone():
    """A build that raised left every caller of its batch waiting for ever."""
    client = FakeRedis()
    batch = CommandBatch(client, asyncio.ensure_future)

    def bad(pipe):
        pipe.zadd("a", {})
        raise TypeError("bad argument")

    before = batch.send(lambda pipe: pipe.hvals("h"))
    failing = batch.send(bad)
    after = batch.send(lambda pipe: pipe.getdel("t"))
    assert await asyncio.wait_for(before, 1) == ["hvals"]
    with pytest.raises(TypeError):
        await asyncio.wait_for(failing, 1)
    assert await asyncio.wait_for(after, 1) == ["getdel"]
    assert client.round_trips == [["hvals", "getdel"]]
