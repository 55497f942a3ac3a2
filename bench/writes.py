"""REST writes through HTTP, seen by every member: the members of a group (2, 40 and 200 in a
full run) write through PlanPal's REST API — activity completes (`POST activities/{id}/complete`,
which notifies every other member) alternating with chat sends (`POST conversations/{id}/messages`)
— at a fixed rate, while `subscribers` connections of those members follow the plan's and the
group's topics. The figure is the latency from the moment a request is sent to each delivery of
the event it caused, over every delivery: the load client records, per event, commit → receive
(against the frame's `ts`); the event log gives each event's commit time and what caused it (the
completed activity's id, the message's client_id), which pairs it with its request's send time.

Beside it, at the same number of subscribers and the same rate, the raw floor's fan-out (its own
topic, events written by the driver): p99 commit → receive, the latency nothing above the socket
adds. Also reported: each write's server time (request → response) per group size, and the CPU
of the web process and of the Celery worker beside it: PlanPal runs as deployed with a broker,
the notifications after commit in a `planpal worker` (FANOUT_IN_WORKER), not in the web process.
"""

import asyncio
import json
import time
import uuid
from dataclasses import dataclass

from bench.rest import HttpClient

WRITERS = 16  # HTTP connections in flight at most (a slow write must not hold the schedule)


@dataclass
class Write:
    kind: str  # "complete" or "chat"
    key: int | str  # activity id or client_id
    sent: float = 0.0  # wall clock, as the event's ts
    seconds: float = 0.0
    status: int = 0


async def write_scenario(bench, teams, subscribers, rates, seconds, say) -> dict:
    out: dict = {"planpal": {}, "raw": {}}
    planpal = await bench.server("planpal", worker=True)
    raw = await bench.server("raw") if "raw" in bench.peers else None
    clients = await bench.clients(subscribers * 2)
    try:
        raw_topic, raw_jobs = bench.fan("raw")
        if raw is not None:
            since = await bench.heads([raw_topic])
            members = bench.world["user_ids"][
                : max(*bench.sizes.fanout, bench.sizes.multi_subscribers)
            ]
            users = [members[i % len(members)] for i in range(subscribers)]
            cids = [2_000_000 + i for i in range(subscribers)]
            await bench.connect(clients, raw, cids, users, lambda c: [raw_topic], since)
        for index, members in enumerate(teams):
            team = await bench.driver.call(
                "team", members=members, activities=_needed(rates, seconds)
            )
            tokens = (await bench.driver.call("tokens", user_ids=team["users"]))["tokens"]
            topics = [f"plan:{team['plan']}", f"group:{team['group']}"]
            heads = await bench.heads(topics)
            cids = [3_000_000 + index * 100_000 + i for i in range(subscribers)]
            users = [team["users"][i % members] for i in range(subscribers)]
            con = await bench.connect(clients, planpal, cids, users, lambda c, t=topics: t, heads)
            say(f"writes {members} members: {con['connected']} subscribers")
            out["planpal"][str(members)] = {"connect": con, "rungs": []}
            out["raw"][str(members)] = {"rungs": []}
            for rate in rates:
                team = await bench.driver.call(
                    "team", members=members, activities=_needed(rates, seconds)
                )
                result = await rest_rung(
                    bench, clients, planpal, team, tokens, topics, rate, seconds
                )
                out["planpal"][str(members)]["rungs"].append(result)
                say(
                    f"  planpal {members} members {rate} writes/s: request → delivery p50 "
                    f"{result['p50_ms']} p99 {result['p99_ms']} ms, write p50 "
                    f"{result['write_ms_p50']:.0f} ms, lost {result['lost']}, "
                    f"statuses {result['statuses']}, cpu: web {result['cpu_percent']:.0f}% "
                    f"worker {result.get('worker_cpu_percent', 0):.0f}%"
                )
                if raw is not None:
                    floor = await bench.rung(clients, raw, rate, seconds, raw_jobs, subscribers)
                    out["raw"][str(members)]["rungs"].append(floor)
                    bench.log_rung(f"raw {subscribers}", floor)
    finally:
        await clients.stop()
        await planpal.stop()
        if raw is not None:
            await raw.stop()
    return out


def _needed(rates, seconds) -> int:
    """Activities for the completes of the fastest rung (every other write is a complete)."""
    return max(2, int(max(rates) * seconds) // 2 + 2)


async def rest_rung(bench, clients, server, team, tokens, topics, rate, seconds) -> dict:
    from bench.procs import Meter, usage
    from bench.run import summarise

    await clients.each("reset", per_event=True)
    before = await bench.heads(topics)
    meter = Meter(server, clients, bench.driver)
    used = meter.sample()
    writes = await drive(server.port, team, tokens, rate, seconds)
    heads = await bench.heads(topics)
    drained = await clients.drain(heads, timeout=max(10.0, seconds * 3))
    used = usage(used, meter.sample())
    stats = await clients.stats(heads, label=server.peer)
    logged = {}
    for topic in topics:
        logged[topic] = (await bench.driver.call("events", topic=topic, after=before[topic]))[
            "events"
        ]
    stats["hist"], paired = request_to_delivery(writes, logged, stats["per_event"] or {})
    result = summarise(stats)
    times = sorted(w.seconds for w in writes)
    statuses: dict[str, int] = {}
    for w in writes:
        statuses[str(w.status)] = statuses.get(str(w.status), 0) + 1
    result.update(
        rate=rate,
        writes=len(writes),
        paired_events=paired,
        statuses=statuses,
        write_ms_p50=1000 * times[len(times) // 2],
        write_ms_p99=1000 * times[min(len(times) - 1, int(len(times) * 0.99))],
        achieved_rate=len(writes) / max(seconds, 1e-6),
        drain_s=drained["seconds"],
        behind=drained["behind"],
        **used,
    )
    return result


async def drive(port, team, tokens, rate, seconds) -> list[Write]:
    """Write k (k < rate * seconds) is sent at t0 + k / rate by member k % members: a complete
    of the next activity for even k, a chat message for odd k."""
    total = max(1, round(rate * seconds))
    pool: asyncio.Queue[HttpClient] = asyncio.Queue()
    for _ in range(min(WRITERS, total)):
        pool.put_nowait(HttpClient(port))
    t0 = time.monotonic() + 0.05
    writes = []

    async def one(k: int) -> None:
        await asyncio.sleep(max(0.0, t0 + k / rate - time.monotonic()))
        member = k % len(team["users"])
        if k % 2 == 0:
            write = Write("complete", team["activities"][k // 2])
            path, body = f"/api/v1/activities/{write.key}/complete", b"{}"
        else:
            write = Write("chat", uuid.uuid4().hex)
            path = f"/api/v1/conversations/{team['conversation']}/messages"
            body = json.dumps({"text": f"bench {k}", "client_id": write.key}).encode()
        writes.append(write)
        client = await pool.get()
        try:
            write.sent = time.time()
            write.status, _, write.seconds = await client.request(
                "POST", path, body, token=tokens[member]
            )
        finally:
            pool.put_nowait(client)

    await asyncio.gather(*(one(k) for k in range(total)))
    while not pool.empty():
        await pool.get_nowait().close()
    return writes


def request_to_delivery(writes, logged, per_event) -> tuple[dict[int, int], int]:
    """Each delivery's latency from its request: commit → receive (per event, from the load
    client) plus request → commit (the event's commit time minus the request's send time)."""
    by_key = {w.key: w for w in writes}
    hist: dict[int, int] = {}
    paired = 0
    for topic, rows in logged.items():
        for seq, committed, name, client_id, payload_id in rows:
            key = payload_id if name == "plan.activity_completed" else client_id
            write = (
                by_key.get(key)
                if name in ("plan.activity_completed", "group.message_sent")
                else None
            )
            if write is None:
                continue
            paired += 1
            offset = round((committed - write.sent) * 1000)
            for ms, count in (per_event.get(f"{topic} {seq}") or {}).items():
                hist[int(ms) + offset] = hist.get(int(ms) + offset, 0) + count
    return hist, paired
