"""Idle capacity at scale: N idle connections (50,000 in a full run) held by several server
processes behind one port, then one event to every one of them.

Each connection authenticates with a ticket, follows its user topic and the peer's fan-out plan
topic (the members of the fan group take turns: 2,000 users, 25 connections each at 50,000).
Clients bind to several loopback source addresses (127.0.0.2, .3, …) because one address pair
has only ~28,000 ports, and the connections are spread over as many load-client and server
processes as the per-process open-file limit needs (at least 2 servers). Once all are connected
and idle for a few seconds, the driver writes one event per second for 3 s to the plan topic:
the figure is the delivery latency (commit → receive) over every connection, p50/p99/max, and
what was lost. PlanPal and the raw floor run one after the other (the naive peer is left out:
it connects ~10 times slower and would take the whole run).
"""

import asyncio
import math
import time

from bench.procs import Clients, fd_limit

IDLE_PEERS = ("planpal", "raw")
SOURCES = [f"127.0.0.{index}" for index in range(2, 6)]
# Sockets a process keeps for itself (listening socket, Redis, database, logs, pipes).
FD_MARGIN = 500
TICKETS_PER_CONNECTION = 2  # a connect shed with 1013 is retried with the next one


def processes_for(connections: int, least: int) -> int:
    return max(least, math.ceil(connections / (fd_limit() - FD_MARGIN)))


async def idle_scenario(bench, connections: int, least_procs: int, say) -> dict:
    out: dict = {}
    for peer in (p for p in bench.peers if p in IDLE_PEERS):
        try:
            out[peer] = await _one_peer(bench, peer, connections, least_procs, say)
        except Exception as exc:  # noqa: BLE001 - the other peer still runs
            say(f"{peer} idle failed: {type(exc).__name__}: {exc}")
            out[peer] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


async def _one_peer(bench, peer: str, connections: int, least_procs: int, say) -> dict:
    procs = processes_for(connections, least_procs)
    workers = processes_for(connections, 1)
    topic, jobs = bench.fan(peer)
    sizes = bench.sizes
    members = bench.world["user_ids"][: max(*sizes.fanout, sizes.multi_subscribers)]
    users = [members[cid % len(members)] for cid in range(connections)]
    server = await bench.server(peer, procs)
    clients = await Clients.start(workers, bench.env, bench.logs / "clients.log")
    try:
        since = await bench.heads([topic])
        tickets = await bench.tickets(users * TICKETS_PER_CONNECTION)
        conns = [
            [cid, tickets[cid::connections], [[topic, since[topic]]]] for cid in range(connections)
        ]
        warm = min(20 * procs, connections // 2)  # the processes' first connections warm them

        async def connect(part: list) -> dict:
            return await clients.connect(
                server.ws_url, part, concurrency=200, timeout=120, label=peer, sources=SOURCES
            )

        warmed = await connect(conns[:warm])
        pids = {proc.pid for proc in server.tree()}
        await asyncio.sleep(1.0)
        base = server.sample()
        started = time.monotonic()
        con = await connect(conns[warm:])
        connect_s = time.monotonic() - started
        await asyncio.sleep(3.0)
        held = server.sample()
        # Closes while held (the event's reset below clears them): who closed, with what code.
        held_stats = await clients.stats({}, label=peer)
        while_held = {**held_stats["closes"], "alive": held_stats["alive"]}
        rest = con["connected"]
        con["connected"] += warmed["connected"]
        con["failed"] += warmed["failed"]
        say(
            f"{peer} idle: {con['connected']} of {connections} connections over {procs} "
            f"processes ({connect_s:.0f}s for the last {rest}), {held['rss'] / 2**20:.0f} MB RSS, "
            f"closed while held {while_held or 'none'}"
        )
        event = await _one_event_per_second(bench, clients, peer, jobs[:1])
        event["rejoin"] = await _rejoin(bench, clients, server, users, topic, event["heads"], peer)
        event["lost"] = event["rejoin"]["lost"]
        # A server process that died (uvicorn's supervisor kills a worker that misses its 5 s
        # health check, and starts another) drops its connections without a close frame.
        replaced = len(pids - {proc.pid for proc in server.tree()})
        say(
            f"  {peer} idle: {event['deliveries']} deliveries of {event['events']} events to "
            f"{event['alive']} open connections, p50 {event['p50_ms']} p99 {event['p99_ms']} "
            f"max {event['max_ms']} ms, behind {event['behind']}; closed {event['closes'] or 0}, "
            f"{event['rejoin']['reconnected']} reconnected with since, "
            f"{event['rejoin']['replayed']} replayed; lost {event['lost']}; "
            f"server processes replaced {replaced}"
        )
        return {
            "connections": connections,
            "connected": con["connected"],
            "failed": con["failed"],
            "connect_errors": con["errors"],
            "closed_while_held": while_held,
            "server_procs_replaced": replaced,
            "server_procs": procs,
            "client_procs": workers,
            "connect_s": connect_s,
            "connect_per_s": rest / connect_s if connect_s else None,
            "rss_mb": held["rss"] / 2**20,
            "rss_per_conn_kb": (held["rss"] - base["rss"]) / max(rest, 1) / 1024,
            "event": event,
        }
    finally:
        await clients.stop()
        await server.stop()


async def _one_event_per_second(bench, clients, peer: str, jobs: list) -> dict:
    """3 events, 1 s apart, each to every connection; waits up to 60 s for the last one to
    reach everybody (a fixed 3 s drain would count slow deliveries as lost)."""
    from bench.run import summarise

    await clients.each("reset")
    drive = await bench.driver.call("drive", rate=1, seconds=3.0, jobs=jobs, threads=1, wait=120)
    drained = await clients.drain(drive["heads"], timeout=60)
    stats = await clients.stats(drive["heads"], label=peer)
    return {
        **summarise(stats),
        "heads": drive["heads"],
        "events": drive["events"],
        "drain_s": drained["seconds"],
        "behind": drained["behind"],
    }


async def _rejoin(bench, clients, server, users, topic, heads, peer: str) -> dict:
    """What the real client does after a close: reconnect with `since` = the last seq it saw,
    then count what is still missing. A connection the server closed while it was held (its
    code is in `closes`) is lost only if this replay does not bring its events back; the
    latency figures above are of the open connections alone (a replay's latency is the
    reconnect's, not the fan-out's)."""
    from bench.run import summarise

    before = await clients.stats(heads, label=peer)
    closed = await clients.closed(peer)
    if closed:
        tickets = await bench.tickets([users[cid] for cid in closed] * TICKETS_PER_CONNECTION)
        conns = [[cid, tickets[i :: len(closed)], [[topic, None]]] for i, cid in enumerate(closed)]
        await clients.connect(
            server.ws_url, conns, concurrency=200, timeout=120, label=peer, sources=SOURCES,
            t0=time.time(),
        )  # fmt: skip
        await clients.drain(heads, timeout=60)
    after = await clients.stats(heads, label=peer)
    return {
        "closed": len(closed),
        "reconnected": after["alive"] - before["alive"],
        "replayed": after["deliveries"] - before["deliveries"],
        "lost": summarise(after)["lost"],
        "dups": after["dups"],
    }
