"""The raw floor: a plain `websockets` server with one Redis subscription per process and local
broadcast. No Django, no database: what fan-out costs when nothing but the socket work is done.

It speaks the subset of PlanPal's protocol the load client uses (ticket auth, subscribe with
`since`, ping) so the same client drives all peers:

- auth: the one-time ticket PlanPal stores in its cache (GETDEL of the django-redis key);
- one PSUBSCRIBE `<prefix>*` per process; each bus message `"<seq> <revoked>\\n<frame>"` is
  broadcast as-is to the local connections following the topic (`websockets.broadcast`) in the
  order it arrives (no reordering: publishes that overtake each other reach clients out of
  order, which the load client counts as "reordered");
- replay: an in-memory ring of each topic's last 1,000 frames seen since start (the floor of what
  a replay can cost); `subscribed.seq` is the newest seq seen, or `since` when that is newer.

Run: `python -m bench.raw_server --port 9001 [--procs 2]` (processes share the port with
SO_REUSEPORT).
"""

import argparse
import asyncio
import json
import os
import signal
from collections import deque
from urllib.parse import parse_qs, urlsplit

RING = 1000


def dumps(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"))


class RawHub:
    def __init__(self, redis_url: str, prefix: str, ticket_prefix: str) -> None:
        import redis.asyncio as aioredis

        self.redis = aioredis.Redis.from_url(redis_url)
        self.prefix = prefix
        self.ticket_prefix = ticket_prefix
        self.topics: dict[str, set] = {}
        self.ring: dict[str, deque] = {}
        self.head: dict[str, int] = {}
        self.seen: dict[str, set[int]] = {}

    async def listen(self) -> None:
        from websockets.asyncio.server import broadcast

        pubsub = self.redis.pubsub()
        await pubsub.psubscribe(self.prefix + "*")
        cut = len(self.prefix)
        while True:
            message = await pubsub.get_message(timeout=5.0)
            if message is None or message["type"] not in ("pmessage", b"pmessage"):
                continue
            topic = message["channel"][cut:].decode()
            header, _, frame = message["data"].partition(b"\n")
            kind = header.split(b" ", 1)[0]
            if not kind.isdigit():
                # Ephemeral frames ("- origin": typing, presence) and other messages under the
                # same prefix (Celery's pidbox and worker events, PlanPal's readiness pings):
                # not events. int() of one used to end this task, and with it
                # every delivery of the process (the writes scenario's raw peer delivered 0).
                continue
            seq = int(kind)
            ring = self.ring.get(topic)
            if ring is None:
                ring = self.ring[topic] = deque(maxlen=RING)
                self.seen[topic] = set()
            seen = self.seen[topic]
            if seq in seen:
                continue  # duplicate (sweeper republish); a late, out-of-order one still goes
            if len(ring) == RING:
                seen.discard(ring[0][0])
            seen.add(seq)
            self.head[topic] = max(seq, self.head.get(topic, 0))
            text = frame.decode()
            ring.append((seq, text))
            connections = self.topics.get(topic)
            if connections:
                broadcast(connections, text)

    async def handler(self, ws) -> None:
        from websockets.asyncio.server import broadcast

        query = parse_qs(urlsplit(ws.request.path).query)
        ticket = (query.get("ticket") or [""])[0]
        user_id = await self.redis.getdel(self.ticket_prefix + ticket) if ticket else None
        if user_id is None:
            await ws.close(4001, "ticket invalid")
            return
        own = f"user:{int(user_id)}"
        following: set[str] = set()

        def subscribe(topic: str, since, ref) -> None:
            # Synchronous from here to the set insertion: no live frame can slip in between the
            # replay and the subscription, and none can precede the `subscribed` frame.
            head = self.head.get(topic, 0)
            frames = []
            recovered = True
            if since is not None and since < head:
                ring = self.ring.get(topic, ())
                frames = [text for seq, text in sorted(ring) if seq > since]
                recovered = bool(ring) and min(ring)[0] <= since + 1
                if not recovered:
                    frames = []
            seq = max(head, since or 0)
            answer = {"type": "subscribed", "topic": topic, "seq": seq, "recovered": recovered}
            broadcast([ws], dumps({**answer, "ref": ref}))
            for text in frames:
                broadcast([ws], text)
            self.topics.setdefault(topic, set()).add(ws)
            following.add(topic)

        subscribe(own, None, None)
        try:
            async for raw in ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                op, ref = message.get("op"), message.get("ref")
                if op == "ping":
                    await ws.send(dumps({"type": "pong", "ref": ref}))
                elif op == "subscribe" and isinstance(message.get("topic"), str):
                    subscribe(message["topic"], message.get("since"), ref)
        except Exception:  # noqa: BLE001 - a dropped client is normal here
            pass
        finally:
            for topic in following:
                connections = self.topics.get(topic)
                if connections is not None:
                    connections.discard(ws)
                    if not connections:
                        del self.topics[topic]


async def serve(args) -> None:
    from websockets.asyncio.server import serve as ws_serve

    hub = RawHub(args.redis_url, args.prefix, args.ticket_prefix)
    listener = asyncio.create_task(hub.listen())
    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with ws_serve(
        hub.handler,
        args.host,
        args.port,
        compression=None,
        reuse_port=True,
        max_size=1024 * 1024,
        ping_interval=20,
        ping_timeout=20,
        backlog=2048,
    ):
        await stop
    listener.cancel()


def child(args) -> None:
    try:
        import uvloop

        uvloop.run(serve(args))
    except ImportError:
        asyncio.run(serve(args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--prefix", default=os.environ.get("REDIS_KEY_PREFIX", "pp:"))
    parser.add_argument(
        "--ticket-prefix",
        default=os.environ.get("CACHE_KEY_PREFIX", "planpal") + ":1:ws-ticket:",
        help="the django-redis key of a ticket, without the ticket",
    )
    args = parser.parse_args()
    if args.procs == 1:
        child(args)
        return
    children = []
    for _ in range(args.procs):
        pid = os.fork()
        if pid == 0:
            child(args)
            os._exit(0)
        children.append(pid)

    def forward(signum, frame):
        for pid in children:
            os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    for pid in children:
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
