"""The bench controller: prepares the bench database and world, then runs each scenario against
each peer in turn (same machine, same invocation, same load client and event driver) and writes
`results.json`, `summary.md` and PNG plots to a new folder under bench/results/.

Peers: `planpal` (`planpal web`), `naive` (bench/naive: group_add + group_send on
channels_redis) and `raw` (bench/raw_server.py: plain websockets, one Redis subscription); the
REST scenarios run PlanPal beside `floor` (bench/floor: bare Django + DRF, bench/rest.py).
"""

import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from bench.idle import idle_scenario
from bench.procs import ROOT, Clients, Meter, Server, Worker, usage
from bench.rest import read_scenario
from bench.writes import write_scenario

PEERS = ("planpal", "raw", "naive")
P99_TARGET_MS = 250


@dataclass
class Sizes:
    fanout: list[int] = field(default_factory=lambda: [1000, 2000])
    rates: list[int] = field(default_factory=lambda: [2, 5, 10, 25, 50, 75, 100])
    rung_seconds: float = 3.0
    topics_conns: int = 10000
    topics_plans: int = 1000
    topics_rate: int = 100
    topics_seconds: float = 8.0
    storm: int = 5000
    storm_rate: int = 50
    multi_procs: int = 2
    multi_subscribers: int = 2000
    multi_rates: list[int] = field(default_factory=lambda: [2, 5, 10, 25, 50, 100])
    client_procs: int = 2
    reads_requests: int = 2000  # per peer and path
    idle_conns: int = 50000
    write_teams: list[int] = field(default_factory=lambda: [2, 40, 200])  # group sizes
    write_subscribers: int = 1000
    write_rates: list[int] = field(default_factory=lambda: [5, 20])
    idle_procs: int = 2  # at least; more when the open-file limit needs them


QUICK = Sizes(
    fanout=[500, 1000], rates=[5, 25, 50, 100], rung_seconds=3.0, topics_conns=2000,
    topics_plans=200, topics_rate=50, topics_seconds=5.0, storm=1000, storm_rate=25,
    multi_subscribers=1000, multi_rates=[25, 50], client_procs=2, reads_requests=800,
    idle_conns=4000, write_teams=[2, 40], write_subscribers=400, write_rates=[10],
)  # fmt: skip
SMOKE = Sizes(
    fanout=[20], rates=[5], rung_seconds=1.5, topics_conns=40, topics_plans=4, topics_rate=10,
    topics_seconds=1.5, storm=20, storm_rate=5, multi_subscribers=20, multi_rates=[5],
    client_procs=1, reads_requests=40, idle_conns=40, write_teams=[2], write_subscribers=10,
    write_rates=[4],
)  # fmt: skip

SCENARIOS = ("fanout", "topics", "multiprocess", "reads", "writes", "idle")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------- environment
def bench_env(database_url: str, redis_url: str, tag: str) -> dict:
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE",):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_KEY_PREFIX=f"{tag}:",
        CACHE_KEY_PREFIX=tag,
        BENCH_CHANNEL_PREFIX=f"{tag}-asgi",
        SECRET_KEY="planpal-bench-only-secret-key-not-for-production-0123456789",
        LOG_LEVEL="warning",
        # REST scenarios send thousands of requests per user: limits would answer 429.
        RATE_LIMITS="off",
        # Only the writes scenario runs a Celery worker (Server(worker=True)); elsewhere the
        # driver writes the events and any fan-out after commit stays in its own process.
        FANOUT_IN_WORKER="0",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    )
    return env


def prepare_database(database_url: str, env: dict) -> None:
    if database_url.startswith("mysql"):
        from urllib.parse import urlsplit

        import MySQLdb

        url = urlsplit(database_url)
        db = MySQLdb.connect(
            host=url.hostname or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
            passwd=url.password or "",
        )  # fmt: skip
        name = url.path.lstrip("/")
        db.cursor().execute(
            f"CREATE DATABASE IF NOT EXISTS `{name}` "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        db.close()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, check=True,
    )  # fmt: skip


def cleanup_redis(redis_url: str, tag: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    removed = 0
    for pattern in (f"{tag}*", f":1:{tag}*"):
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                removed += client.delete(*batch)
                batch = []
        if batch:
            removed += client.delete(*batch)
    return removed


# ---------------------------------------------------------------------------- statistics
def percentile(hist: dict[int, int], q: float) -> float | None:
    total = sum(hist.values())
    if not total:
        return None
    rank = q * (total - 1)
    seen = 0
    for ms in sorted(hist):
        seen += hist[ms]
        if seen > rank:
            return float(ms)
    return float(max(hist))


def summarise(stats: dict) -> dict:
    hist = stats["hist"]
    return {
        "deliveries": stats["deliveries"],
        "p50_ms": percentile(hist, 0.50),
        "p95_ms": percentile(hist, 0.95),
        "p99_ms": percentile(hist, 0.99),
        "max_ms": float(max(hist)) if hist else None,
        "lost": stats["lost"],
        "dups": stats["dups"],
        "unrecovered": stats["unrecovered"],
        "reordered": stats["reordered"],
        "closes": stats["closes"],
        "alive": stats["alive"],
    }


# ---------------------------------------------------------------------------- the run
class Bench:
    def __init__(
        self, sizes: Sizes, out: Path, peers, scenarios, database_url, redis_url, profile=()
    ):
        self.sizes = sizes
        self.profile = set(profile)  # peers whose servers py-spy records
        self.profiles = 0
        self.out = out
        self.peers = list(peers)
        self.scenarios = list(scenarios)
        self.database_url = database_url
        self.redis_url = redis_url
        self.tag = f"ppbench{os.getpid()}"
        self.env = bench_env(database_url, redis_url, self.tag)
        self.logs = out / "logs"
        self.results: dict = {"scenarios": {}}
        self.driver: Worker | None = None

    # -------------------------------------------------------------- plumbing
    async def server(self, peer: str, procs: int = 1, worker: bool = False) -> Server:
        profile = None
        if peer in self.profile:
            self.profiles += 1
            profile = self.logs / f"profile-{self.profiles}-{peer}-x{procs}.txt"
        log_path = self.logs / f"{peer}-server.log"
        return await Server(peer, procs, self.env, log_path, profile, worker).start()

    async def clients(self, conns: int) -> Clients:
        count = 1 if conns < 500 else self.sizes.client_procs
        return await Clients.start(count, self.env, self.logs / "clients.log")

    async def tickets(self, user_ids: list[int]) -> list[str]:
        return (await self.driver.call("tickets", user_ids=user_ids))["tickets"]

    async def heads(self, topics: list[str]) -> dict:
        return await self.driver.call("heads", topics=topics)

    def fan(self, peer: str) -> tuple[str, list]:
        fan = self.world["fans"][peer]
        return f"plan:{fan['plan']}", [[a, fan["owner"], fan["plan"]] for a in fan["activities"]]

    async def set_mode(self, naive_topics: list[str]) -> None:
        """The naive peer's topics are published with group_send, every other topic to Redis."""
        topics = list(naive_topics)
        if "naive" in self.peers:
            topics.append(self.fan("naive")[0])
        await self.driver.call("mode", group_send_topics=topics)

    async def connect(self, clients, server, cids, users, topics_of, since: dict, **kwargs):
        """Connections cids (users[i] for the i-th) to `server`, each following topics_of(cid)
        `since` the given heads."""
        tickets = await self.tickets(users)
        conns = [
            [cid, ticket, [[t, since[t]] for t in topics_of(cid)]]
            for cid, ticket in zip(cids, tickets, strict=True)
        ]
        kwargs.setdefault("concurrency", 100)
        return await clients.connect(server.ws_url, conns, timeout=120, label=server.peer, **kwargs)

    async def rung(self, clients, server, rate, seconds, jobs, subscribers, threads=4) -> dict:
        await clients.each("reset")
        meter = Meter(server, clients, self.driver)
        before = meter.sample()
        drive = await self.driver.call(
            "drive", rate=rate, seconds=seconds, jobs=jobs, threads=threads, wait=seconds * 10 + 60
        )
        drained = await clients.drain(drive["heads"], timeout=max(3.0, seconds))
        after = meter.sample()
        stats = await clients.stats(drive["heads"], label=server.peer)
        result = summarise(stats)
        result.update(
            rate=rate,
            subscribers=subscribers,
            achieved_rate=drive["rate"],
            events=drive["events"],
            driver_errors=drive["errors"],
            driver_call_ms_p50=drive["call_ms_p50"],
            driver_max_lag_s=drive["max_lag"],
            offered_per_s=drive["events"] * subscribers / drive["seconds"],
            deliveries_per_s=result["deliveries"] / drive["seconds"],
            drain_s=drained["seconds"],
            behind=drained["behind"],
            timeline=stats["timeline"],
            **usage(before, after),
        )
        # The target: p99 <= 250 ms, nothing lost, no connection closed on us. (When the driver
        # cannot reach the rate the rung still counts, with the deliveries it produced.)
        result["passed"] = bool(
            result["p99_ms"] is not None
            and result["p99_ms"] <= P99_TARGET_MS
            and result["lost"] == 0
            and not result["closes"]
            and drained["behind"] == 0
            and drive["events"] > 0
        )
        return result

    async def settle(self, server: Server, limit: float = 20.0) -> float:
        """Wait until a server that fell behind is idle again (CPU < 10% over half a second)."""
        started = time.monotonic()
        before = server.sample()
        while time.monotonic() - started < limit:
            await asyncio.sleep(0.5)
            after = server.sample()
            if usage(before, after)["cpu_percent"] < 10:
                break
            before = after
        return time.monotonic() - started

    def log_rung(self, label: str, r: dict) -> None:
        log(
            f"  {label:<14} {r['rate']:>4} ev/s {r['achieved_rate']:>5.1f}: "
            f"{r['deliveries_per_s']:>7.0f}/s p50 {r['p50_ms']} p99 {r['p99_ms']} ms "
            f"lost {r['lost']} cpu: server {r['cpu_percent']:.0f}% "
            f"clients {r['clients_cpu_percent']:.0f}% driver {r['driver_cpu_percent']:.0f}% "
            f"machine {r['machine_cpu_percent']:.0f}% {'ok' if r['passed'] else 'FAIL'}"
        )

    # -------------------------------------------------------------- scenarios
    async def side_by_side(self, sizes: list[int], rates: list[int], procs: int) -> dict:
        """Every peer up at once, each with its own fan-out topic and subscribers (one load
        client pool); for each size, the rate ladder is climbed in lockstep — each rate runs on
        every peer still in, one after the other, so all face the same machine at nearly the
        same moment. A peer leaves the ladder at its first rung with p99 > 250 ms or a loss."""
        out: dict = {peer: {} for peer in self.peers}
        started = await asyncio.gather(*(self.server(peer, procs) for peer in self.peers))
        servers = dict(zip(self.peers, started, strict=True))
        clients = await self.clients(max(sizes) * len(self.peers))
        try:
            connected = 0
            for size in sizes:
                for index, peer in enumerate(self.peers):
                    topic, _ = self.fan(peer)
                    since = await self.heads([topic])
                    cids = [index * 1_000_000 + i for i in range(connected, size)]
                    users = self.world["user_ids"][connected:size]
                    con = await self.connect(
                        clients, servers[peer], cids, users, lambda c, t=topic: [t], since
                    )
                    out[peer][str(size)] = {"connect": con, "rungs": []}
                    log(f"{peer} x{procs} {size}: +{con['connected']} in {con['seconds']:.1f}s")
                connected = size
                climbing = list(self.peers)
                for step, rate in enumerate(rates):
                    # Rotate who goes first, so no peer always follows the same one.
                    order = climbing[step % len(climbing) :] + climbing[: step % len(climbing)]
                    for peer in order:
                        _, jobs = self.fan(peer)
                        result = await self.rung(
                            clients, servers[peer], rate, self.sizes.rung_seconds, jobs, size
                        )
                        out[peer][str(size)]["rungs"].append(result)
                        self.log_rung(f"{peer} x{procs} {size}", result)
                        if not result["passed"]:
                            climbing.remove(peer)
                            # Its backlog must not spill into the next peer's rung.
                            result["settle_s"] = await self.settle(servers[peer])
                    if not climbing:
                        break
                for peer in self.peers:
                    out[peer][str(size)]["best"] = best(out[peer][str(size)]["rungs"])
        finally:
            await clients.stop()
            for server in servers.values():
                await server.stop()
        return out

    async def fanout(self) -> dict:
        """N subscribers on one plan topic, N in sizes.fanout, one server process per peer."""
        return await self.side_by_side(self.sizes.fanout, self.sizes.rates, procs=1)

    async def multiprocess(self) -> dict:
        """The same with `multi_procs` server processes per peer behind one port."""
        s = self.sizes
        return await self.side_by_side([s.multi_subscribers], s.multi_rates, procs=s.multi_procs)

    async def reads(self) -> dict:
        """REST reads, PlanPal beside the REST floor (bench/rest.py)."""
        return await read_scenario(self, self.sizes.reads_requests, log)

    async def writes(self) -> dict:
        """REST writes by a group's members, request → every delivery (bench/writes.py)."""
        s = self.sizes
        return await write_scenario(
            self, s.write_teams, s.write_subscribers, s.write_rates, s.rung_seconds, log
        )

    async def idle(self) -> dict:
        """Idle connections held by several processes, one event to all (bench/idle.py)."""
        return await idle_scenario(self, self.sizes.idle_conns, self.sizes.idle_procs, log)

    async def topics(self) -> dict:
        out = {}
        for peer in self.peers:
            try:
                out[peer] = await self.topics_peer(peer)
            except Exception as exc:  # noqa: BLE001 - the other peers still run
                log(f"{peer} topics failed: {type(exc).__name__}: {exc}")
                out[peer] = {"error": f"{type(exc).__name__}: {exc}"}
        return out

    async def topics_peer(self, peer: str) -> dict:
        """Idle capacity, many small topics and a reconnect storm on one set of connections,
        one peer at a time: N connections, each following its user topic and its group's plan
        (N / plans per plan)."""
        s = self.sizes
        per_plan = max(1, s.topics_conns // s.topics_plans)
        plans = self.world["small"][: s.topics_plans]
        topic_of = [
            f"plan:{plans[min(c // per_plan, len(plans) - 1)]['plan']}"
            for c in range(s.topics_conns)
        ]
        jobs = [[p["activity"], p["owner"], p["plan"]] for p in plans]
        all_topics = sorted(set(topic_of))
        await self.set_mode(all_topics if peer == "naive" else [])
        users = self.world["user_ids"]
        out: dict = {}
        server = await self.server(peer)
        clients = await self.clients(s.topics_conns)
        try:
            since = await self.heads(all_topics)
            warm = min(20, s.topics_conns // 2)
            await self.connect(
                clients, server, list(range(warm)), users[:warm], lambda c: [topic_of[c]], since
            )
            await asyncio.sleep(1.0)
            base = server.sample()
            con = await self.connect(
                clients, server, list(range(warm, s.topics_conns)),
                users[warm : s.topics_conns], lambda c: [topic_of[c]], since,
            )  # fmt: skip
            await asyncio.sleep(3.0)
            idle = server.sample()
            held = con["connected"]
            out["idle"] = {
                "connections": held + warm,
                "connect": con,
                "connect_per_s": held / con["seconds"] if con["seconds"] else None,
                "rss_base_mb": base["rss"] / 2**20,
                "rss_mb": idle["rss"] / 2**20,
                "rss_per_conn_kb": (idle["rss"] - base["rss"]) / max(held, 1) / 1024,
                "connect_cpu_s": idle["cpu"] - base["cpu"],
            }
            log(
                f"{peer} topics: {held + warm} connections in {con['seconds']:.1f}s "
                f"({out['idle']['connect_per_s']:.0f}/s), "
                f"{out['idle']['rss_per_conn_kb']:.1f} KB RSS each"
            )
            # Many small topics: events spread round-robin over every plan.
            rung = await self.rung(clients, server, s.topics_rate, s.topics_seconds, jobs, per_plan)
            out["traffic"] = rung
            self.log_rung(f"{peer} topics", rung)
            out["storm"] = await self.storm(clients, server, jobs, topic_of)
        finally:
            await clients.stop()
            await server.stop()
        return out

    async def storm(self, clients, server, jobs, topic_of) -> dict:
        """`storm` clients drop at once (no close handshake) while events keep flowing, stay
        away 1 s, then reconnect with jitter 0-0.5 s (the reference client's first backoff) and
        `since` = the last seq each saw; a refused attempt is retried with backoff. Measured:
        time from the reconnect until every one of them has replayed up to the head its
        `subscribed` answer named, and loss over the whole window."""
        s = self.sizes
        cids = list(range(s.storm))
        users = [self.world["user_ids"][c] for c in cids]
        tries = 4
        tickets = await self.tickets(users * tries)
        await clients.each("reset")
        meter = Meter(server, clients, self.driver)
        before = meter.sample()
        seconds = 12.0 if s.storm >= 1000 else 4.0
        drive = asyncio.create_task(
            self.driver.call("drive", rate=s.storm_rate, seconds=seconds, jobs=jobs, threads=4)
        )
        await asyncio.sleep(1.5)
        parts = [[] for _ in clients.workers]
        for cid in cids:
            parts[clients.share(cid)].append(cid)
        await clients.each("drop", per_worker=lambda i: {"cids": parts[i]})
        await asyncio.sleep(1.0)
        t0 = time.time()
        n = len(cids)
        conns = [
            [cid, [tickets[k * n + i] for k in range(tries)], [[topic_of[cid], None]]]
            for i, cid in enumerate(cids)
        ]
        con = await clients.connect(
            server.ws_url, conns, concurrency=1000, timeout=60, jitter=0.5, t0=t0,
            label=server.peer,
        )  # fmt: skip
        caught = await clients.each(
            "catchup", per_worker=lambda i: {"cids": parts[i]}, t0=t0, timeout=60
        )
        times = sorted(t for c in caught for t in c["times"])
        driven = await drive
        drained = await clients.drain(driven["heads"], timeout=10)
        after = meter.sample()
        stats = await clients.stats(driven["heads"], label=server.peer)
        result = summarise(stats)
        result.update(
            clients=n,
            reconnected=con["connected"],
            failed=con["failed"],
            retries=con["retries"],
            errors=con["errors"],
            caught_up=len(times),
            all_caught_up_s=times[-1] if len(times) == n else None,
            p50_caught_up_s=times[len(times) // 2] if times else None,
            caught_up_times=times[:: max(1, len(times) // 500)],
            events=driven["events"],
            behind=drained["behind"],
            **usage(before, after),
        )
        log(
            f"  {server.peer} storm {n}: reconnected {con['connected']} "
            f"({con['retries']} retries), all caught up after {result['all_caught_up_s']} s, "
            f"lost {result['lost']}, server cpu {result['cpu_percent']:.0f}%"
        )
        return result

    # -------------------------------------------------------------- main
    async def run(self) -> dict:
        started = time.monotonic()
        self.logs.mkdir(parents=True, exist_ok=True)
        s = self.sizes
        log(f"preparing {self.database_url.split('@')[-1]} and the bench world")
        await asyncio.to_thread(prepare_database, self.database_url, self.env)
        self.driver = await Worker.start(
            "bench.driver", self.env, self.logs / "driver.log", "driver"
        )
        users = max([*s.fanout, s.topics_conns, s.multi_subscribers])
        self.world = await self.driver.call(
            "world", users=users, fan_members=max(*s.fanout, s.multi_subscribers),
            groups=s.topics_plans, group_size=max(1, s.topics_conns // s.topics_plans),
            fans=list(PEERS), wait=900,
        )  # fmt: skip
        log(f"world ready in {self.world['seconds']:.1f}s ({users} users)")
        self.results["meta"] = meta(s, self)
        try:
            for scenario in self.scenarios:
                await self.set_mode([])
                try:
                    self.results["scenarios"][scenario] = await getattr(self, scenario)()
                except Exception as exc:  # noqa: BLE001 - the other scenarios still run
                    log(f"{scenario} failed: {type(exc).__name__}: {exc}")
                    self.results["scenarios"][scenario] = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            with contextlib.suppress(Exception):
                await self.driver.stop()
            removed = await asyncio.to_thread(cleanup_redis, self.redis_url, self.tag)
            log(f"removed {removed} bench keys from Redis")
        self.results["meta"]["seconds"] = time.monotonic() - started
        return self.results


def best(rungs: list[dict]) -> dict | None:
    """The highest-throughput rung that met the target (p99 <= 250 ms, nothing lost)."""
    passed = [r for r in rungs if r["passed"]]
    if not passed:
        return None
    top = max(passed, key=lambda r: r["deliveries_per_s"])
    return {k: top[k] for k in ("rate", "deliveries_per_s", "p50_ms", "p99_ms", "cpu_percent")}


def meta(sizes: Sizes, bench: Bench) -> dict:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        rev = ""
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git": rev,
        "python": platform.python_version(),
        "cpus": psutil.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_avg_at_start": os.getloadavg(),
        "database": bench.database_url.split("@")[-1],
        "sizes": asdict(sizes),
        "peers": bench.peers,
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def write_results(results: dict, out: Path) -> None:
    (out / "results.json").write_text(json.dumps(results, indent=1))
