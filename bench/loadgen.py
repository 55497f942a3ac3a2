"""Load client worker: holds many WebSocket connections in one process and measures every delivery.

Started by the bench controller (`bench.run`) as `python -m bench.loadgen`; it reads one JSON
command per line on stdin and answers one JSON line on stdout. Several workers may run at once,
each holding a share of the connections.

The WebSocket client is a minimal asyncio protocol rather than the `websockets` library: at
100,000 deliveries/s the client must cost less than the server, so it parses frame headers by
hand, matches `"topic":…,"seq":…` at the start of each event frame with one regex, parses an
event's `ts` once per worker (not once per delivery) and records latency in a 1 ms histogram.
Client frames are masked with an all-zero key (valid per RFC 6455; only the mask bit is
checked), compression is never offered, and the server's keepalive pings are answered.

Accounting per connection and topic: `last` starts at the subscription's `since`; an event with
seq > last + 1 leaves a gap whose seqs count as lost unless they arrive later (then they count as
delivered and "reordered" — PlanPal's hub never reorders, the peers may); any other seq <= last is
a duplicate (counted, dropped); at the end every seq between `last` and the topic's head counts
as lost.
"""

import asyncio
import base64
import contextlib
import json
import os
import random
import re
import sys
import time
from datetime import datetime

EVENT_MATCH = re.compile(rb'\{"type":"event","topic":"([^"]+)","seq":(\d+),').match
TS_SEARCH = re.compile(rb'"ts":"([^"]+)"').search
HIST_MAX_MS = 60_000
PING_SECONDS = 25.0


def parse_ts(raw: bytes) -> float:
    return datetime.fromisoformat(raw.decode().replace("Z", "+00:00")).timestamp()


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.hist = [0] * (HIST_MAX_MS + 1)
        self.deliveries = 0
        self.dups = 0
        self.gaps = 0
        self.unrecovered = 0
        self.reordered = 0
        self.t0 = time.time()
        self.timeline: dict[int, list[int]] = {}  # second since t0 → [deliveries, max ms]


class Conn(asyncio.Protocol):
    def __init__(self, worker: "Worker", cid: int, label: str) -> None:
        self.w = worker
        self.cid = cid
        self.label = label  # the peer this connection belongs to
        self.stats = worker.stats_of(label)  # every peer is measured on its own
        self.transport = None
        self.buf = b""
        self.open = False
        self.alive = False
        self.last: dict[bytes, int] = {}  # topic → last seq applied
        self.missing: dict[bytes, set[int]] = {}  # topic → seqs skipped by a gap (maybe late)
        self.catchup: dict[bytes, int] = {}  # storm: topic → seq to reach
        self.caught_up_at: float | None = None
        self.waiters: dict[str, asyncio.Future] = {}
        self.first: asyncio.Future | None = None
        self.close_code: int | None = None
        self.next_ping = 0.0

    # ------------------------------------------------------------------ asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport
        self.alive = True

    def connection_lost(self, exc) -> None:
        self.alive = False
        self.open = False
        if self.first is not None and not self.first.done():
            self.first.set_exception(ConnectionError(f"closed {self.close_code}"))
        for waiter in self.waiters.values():
            if not waiter.done():
                waiter.set_exception(ConnectionError(f"closed {self.close_code}"))
        self.waiters.clear()
        if not self.w.dropping.get(self.cid):
            key = f"{self.label}:{self.close_code}"
            self.w.closes[key] = self.w.closes.get(key, 0) + 1

    def data_received(self, data: bytes) -> None:
        now = time.time()
        if self.buf:
            data = self.buf + data
            self.buf = b""
        if not self.open:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self.buf = data
                return
            status = data[: data.find(b"\r\n")]
            if b" 101 " not in status:
                self.close_code = -1
                self.transport.close()
                return
            self.open = True
            data = data[end + 4 :]
        w = self.w
        stats = self.stats
        n = len(data)
        pos = 0
        while n - pos >= 2:
            length = data[pos + 1] & 0x7F
            if length < 126:
                start = pos + 2
            elif length == 126:
                if n - pos < 4:
                    break
                length = (data[pos + 2] << 8) | data[pos + 3]
                start = pos + 4
            else:
                if n - pos < 10:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > n:
                break
            opcode = data[pos] & 0x0F
            pos = end
            if opcode == 1:
                match = EVENT_MATCH(data, start, end)
                if match is None:
                    self.on_control(data[start:end])
                    continue
                topic = match.group(1)
                last = self.last.get(topic)
                if last is None:
                    continue  # not (or no longer) following it
                seq = int(match.group(2))
                if seq <= last:
                    missing = self.missing.get(topic)
                    if missing is None or seq not in missing:
                        stats.dups += 1
                        continue
                    missing.discard(seq)  # arrived late, out of order: delivered
                    stats.gaps -= 1
                    stats.reordered += 1
                else:
                    if seq > last + 1:
                        stats.gaps += seq - last - 1
                        self.missing.setdefault(topic, set()).update(range(last + 1, seq))
                    self.last[topic] = seq
                key = (topic, seq)
                ts = w.ts_cache.get(key)
                if ts is None:
                    ts = w.ts_cache[key] = parse_ts(TS_SEARCH(data, start, end).group(1))
                ms = int((now - ts) * 1000.0)
                ms = 0 if ms < 0 else HIST_MAX_MS if ms > HIST_MAX_MS else ms
                stats.hist[ms] += 1
                stats.deliveries += 1
                if w.per_event is not None:  # REST writes: latency per event, paired later
                    event_hist = w.per_event.setdefault(key, {})
                    event_hist[ms] = event_hist.get(ms, 0) + 1
                second = int(now - stats.t0)
                slot = stats.timeline.get(second)
                if slot is None:
                    stats.timeline[second] = [1, ms]
                else:
                    slot[0] += 1
                    if ms > slot[1]:
                        slot[1] = ms
                if self.catchup:
                    self.check_catchup(now)
            elif opcode == 9:  # ping → pong with the same payload
                self.send_frame(0x8A, data[start:end])
            elif opcode == 8:
                payload = data[start:end]
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                with contextlib.suppress(Exception):
                    self.send_frame(0x88, payload[:2])
                self.transport.close()
                return
        if pos < n:
            self.buf = data[pos:]

    # ------------------------------------------------------------------ frames
    def send_frame(self, first_byte: int, payload: bytes) -> None:
        length = len(payload)
        if length < 126:
            header = bytes((first_byte, 0x80 | length))
        elif length < 65536:
            header = bytes((first_byte, 0xFE)) + length.to_bytes(2, "big")
        else:
            header = bytes((first_byte, 0xFF)) + length.to_bytes(8, "big")
        self.transport.write(header + b"\x00\x00\x00\x00" + payload)

    def send_json(self, frame: dict) -> None:
        if self.alive and self.open:
            self.send_frame(0x81, json.dumps(frame, separators=(",", ":")).encode())

    def on_control(self, payload: bytes) -> None:
        try:
            frame = json.loads(payload)
        except ValueError:
            return
        kind = frame.get("type")
        if self.first is not None and not self.first.done():
            self.first.set_result(frame)
            return
        if kind == "subscribed":
            topic = frame["topic"].encode()
            if not frame.get("recovered", True):
                self.stats.unrecovered += 1
                last = self.last.get(topic)
                if last is not None and frame["seq"] > last:
                    self.stats.gaps += frame["seq"] - last
                self.last[topic] = frame["seq"]
            elif topic not in self.last:
                self.last[topic] = frame["seq"]
            waiter = self.waiters.pop(frame["topic"], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frame)
        elif kind == "error":
            waiter = self.waiters.pop(str(frame.get("ref")), None)
            if waiter is not None and not waiter.done():
                waiter.set_exception(RuntimeError(frame.get("code")))

    def check_catchup(self, now: float) -> None:
        for topic, target in self.catchup.items():
            if self.last.get(topic, 0) < target:
                return
        self.catchup = {}
        self.caught_up_at = now

    # ------------------------------------------------------------------ connecting
    async def open_ws(
        self, host: str, port: int, path: str, timeout: float, source: str | None = None
    ) -> dict:
        loop = asyncio.get_running_loop()
        self.first = loop.create_future()
        self.buf = b""
        self.open = False
        self.close_code = None
        # A source address of its own (127.0.0.x): one address has only ~28,000 ports.
        local = (source, 0) if source else None
        await asyncio.wait_for(
            loop.create_connection(lambda: self, host, port, local_addr=local), timeout
        )
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        first = await asyncio.wait_for(self.first, timeout)
        self.first = None
        if first.get("type") != "subscribed":
            raise RuntimeError(f"first frame {first.get('type')}")
        self.next_ping = time.monotonic() + random.uniform(5, PING_SECONDS)
        return first

    async def subscribe(self, topics: list, timeout: float) -> list[dict]:
        """Subscribe to every (topic, since) at once; returns the `subscribed` frames."""
        loop = asyncio.get_running_loop()
        waiters = []
        for topic, since in topics:
            if since is not None:
                self.last[topic.encode()] = since
            waiter = self.waiters[topic] = loop.create_future()
            waiters.append(waiter)
            frame = {"op": "subscribe", "topic": topic, "ref": topic}
            if since is not None:
                frame["since"] = since
            self.send_json(frame)
        return list(await asyncio.wait_for(asyncio.gather(*waiters), timeout))


class Worker:
    def __init__(self) -> None:
        self.conns: dict[int, Conn] = {}
        self.stats: dict[str, Stats] = {}
        self.ts_cache: dict[tuple[bytes, int], float] = {}
        self.closes: dict[str, int] = {}
        self.dropping: dict[int, bool] = {}
        self.errors: dict[str, int] = {}
        self.retries = 0
        self.per_event: dict[tuple[bytes, int], dict[int, int]] | None = None

    def stats_of(self, label: str) -> Stats:
        if label not in self.stats:
            self.stats[label] = Stats()
        return self.stats[label]

    def error(self, exc: BaseException) -> None:
        name = f"{type(exc).__name__}: {str(exc)[:60]}"
        self.errors[name] = self.errors.get(name, 0) + 1

    async def _connect_one(
        self, sem, target, cid, tickets, topics, timeout, t0, label, source=None
    ) -> float | None:
        """Open, authenticate, subscribe. A refused attempt (e.g. 1013 "try again later") is
        retried with the next ticket after the reference client's backoff: full jitter,
        0.25 s doubling, capped at 5 s here."""
        host, port, path = target
        conn = self.conns.get(cid) or Conn(self, cid, label)
        self.conns[cid] = conn
        for attempt, ticket in enumerate(tickets):
            async with sem:
                try:
                    await conn.open_ws(host, port, f"{path}?ticket={ticket}", timeout, source)
                    subscribed = await conn.subscribe(topics, timeout)
                    break
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    self.error(exc)
                    if conn.transport is not None:
                        conn.transport.abort()
                    if attempt == len(tickets) - 1:
                        return None
            self.retries += 1
            # (at least one loop turn: the aborted transport's connection_lost comes first)
            await asyncio.sleep(0.01 + random.uniform(0, min(5.0, 0.25 * 2 ** (attempt + 1))))
        self.dropping.pop(cid, None)
        done = time.time()
        if t0 is not None:  # storm: caught up once every topic reached its head
            conn.catchup = {
                f["topic"].encode(): f["seq"]
                for f in subscribed
                if conn.last.get(f["topic"].encode(), 0) < f["seq"]
            }
            conn.caught_up_at = None if conn.catchup else done
        return done

    async def cmd_connect(
        self, url, conns, concurrency=200, timeout=60.0, jitter=0.0, t0=None, label="",
        sources=None,
    ):  # fmt: skip
        """conns: [[cid, ticket or [tickets], [[topic, since], ...]], ...]; several tickets allow
        retries. With t0 (a reconnect storm), each client waits a random 0..jitter s first and
        `since` is what it last saw. With sources (loopback addresses), connection cid binds
        to sources[cid % len(sources)]."""
        target = _split(url)
        sem = asyncio.Semaphore(concurrency)
        started = time.time()

        async def one(cid, tickets, topics):
            if jitter:
                await asyncio.sleep(random.uniform(0, jitter))
            if t0 is not None:
                conn = self.conns[cid]
                topics = [[t, conn.last.get(t.encode())] for t, _ in topics]
            tickets = [tickets] if isinstance(tickets, str) else tickets
            source = sources[cid % len(sources)] if sources else None
            return await self._connect_one(
                sem, target, cid, tickets, topics, timeout, t0, label, source
            )

        results = await asyncio.gather(*(one(*c) for c in conns))
        ok = [r for r in results if r is not None]
        return {
            "connected": len(ok),
            "failed": len(results) - len(ok),
            "seconds": time.time() - started,
            "errors": dict(self.errors),
            "retries": self.retries,
        }

    async def cmd_catchup(self, cids, t0, timeout):
        """Storm: wait until every reconnected client has replayed up to its heads."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.conns[c].caught_up_at is not None for c in cids if c in self.conns):
                break
            await asyncio.sleep(0.05)
        times = [
            self.conns[c].caught_up_at - t0
            for c in cids
            if c in self.conns and self.conns[c].caught_up_at is not None
        ]
        return {"caught_up": len(times), "total": len(cids), "times": times}

    async def cmd_drop(self, cids):
        for cid in cids:
            conn = self.conns.get(cid)
            if conn is not None and conn.transport is not None:
                self.dropping[cid] = True
                conn.transport.abort()  # like a lost network: no closing handshake
        await asyncio.sleep(0)
        return {"dropped": len(cids)}

    async def cmd_closed(self, label=None):
        """Connections (cids) that are not open now: closed by the server or never opened."""
        return {
            "cids": [
                cid
                for cid, c in self.conns.items()
                if not c.alive and label in (None, c.label) and not self.dropping.get(cid)
            ]
        }

    async def cmd_reset(self, per_event: bool = False):
        self.per_event = {} if per_event else None
        for stats in self.stats.values():
            stats.reset()
        self.closes.clear()
        self.retries = 0
        for conn in self.conns.values():
            conn.missing.clear()
        self.errors.clear()
        return {"t0": time.time()}

    async def cmd_drain(self, heads, timeout):
        """Wait until every live connection has everything up to `heads` of its topics."""
        wanted = {t.encode(): s for t, s in heads.items()}
        started = time.monotonic()
        deadline = started + timeout
        while True:
            behind = sum(
                1
                for c in self.conns.values()
                if c.alive
                for t, s in wanted.items()
                if t in c.last and c.last[t] < s
            )
            if behind == 0 or time.monotonic() >= deadline:
                return {"behind": behind, "seconds": time.monotonic() - started}
            await asyncio.sleep(0.05)

    async def cmd_stats(self, heads, label=None):
        wanted = {t.encode(): s for t, s in heads.items()}
        tail = 0
        for conn in self.conns.values():
            for topic, head in wanted.items():
                last = conn.last.get(topic)
                if last is not None and last < head:
                    tail += head - last
        s = self.stats_of(label or "")
        return {
            "hist": {str(i): v for i, v in enumerate(s.hist) if v},
            "deliveries": s.deliveries,
            "dups": s.dups,
            "lost": s.gaps + tail,
            "unrecovered": s.unrecovered,
            "reordered": s.reordered,
            "t0": s.t0,
            "timeline": {str(k): v for k, v in s.timeline.items()},
            "closes": {
                k: v for k, v in self.closes.items() if label is None or k.startswith(f"{label}:")
            },
            "alive": sum(1 for c in self.conns.values() if c.alive and label in (None, c.label)),
            "errors": dict(self.errors),
            "per_event": {
                f"{topic.decode()} {seq}": hist for (topic, seq), hist in self.per_event.items()
            }
            if self.per_event is not None
            else None,
        }

    async def cmd_close(self):
        for conn in self.conns.values():
            if conn.transport is not None:
                conn.transport.abort()
        self.conns.clear()
        return {"closed": True}

    async def pinger(self):
        """Client pings keep connections alive past the server's idle timeout (60 s)."""
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for conn in list(self.conns.values()):
                if conn.alive and conn.open and now >= conn.next_ping:
                    conn.next_ping = now + PING_SECONDS
                    conn.send_json({"op": "ping"})


def _split(url: str) -> tuple[str, int, str]:
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    host, _, port = hostport.rpartition(":")
    return host, int(port), "/" + path


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**27)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    worker = Worker()
    pinger = asyncio.create_task(worker.pinger())
    while True:
        line = await reader.readline()
        if not line:
            break
        request = json.loads(line)
        name = request.pop("cmd")
        try:
            answer = await getattr(worker, f"cmd_{name}")(**request)
        except Exception as exc:  # noqa: BLE001 - reported to the controller
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if name == "close":
            break
    pinger.cancel()


def run() -> None:
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())


if __name__ == "__main__":
    run()
