"""Child processes of a bench run: JSON-line workers (driver, load clients) and the servers under
test, with CPU and RSS sampling of a server's whole process tree."""

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent


def raise_fd_limit() -> None:
    """Open files up to the hard limit (a child's preexec_fn): idle-capacity runs hold tens of
    thousands of sockets per process."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def fd_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Worker:
    """A child speaking one JSON command per line on stdin, one JSON answer per line on stdout."""

    def __init__(self, process: asyncio.subprocess.Process, name: str) -> None:
        self.process = process
        self.name = name
        self.lock = asyncio.Lock()

    @classmethod
    async def start(cls, module: str, env: dict, log: Path, name: str) -> "Worker":
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module,
            cwd=ROOT, env=env, limit=2**28,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=log.open("ab"), preexec_fn=raise_fd_limit,
        )  # fmt: skip
        return cls(process, name)

    async def call(self, cmd: str, *, wait: float = 600, **kwargs):
        async with self.lock:
            self.process.stdin.write((json.dumps({"cmd": cmd, **kwargs}) + "\n").encode())
            await self.process.stdin.drain()
            line = await asyncio.wait_for(self.process.stdout.readline(), wait)
        if not line:
            raise RuntimeError(f"{self.name} exited (code {self.process.returncode})")
        answer = json.loads(line)
        if isinstance(answer, dict) and "error" in answer and len(answer) == 1:
            raise RuntimeError(f"{self.name} {cmd}: {answer['error']}")
        return answer

    async def stop(self) -> None:
        if self.process.returncode is None:
            try:
                self.process.stdin.write(b'{"cmd": "quit"}\n')
                self.process.stdin.close()
                await asyncio.wait_for(self.process.wait(), 10)
            except (TimeoutError, ConnectionError, BrokenPipeError):
                self.process.kill()
                await self.process.wait()


class Clients:
    """Several load-client workers; connection i lives in worker i % len(workers)."""

    def __init__(self, workers: list[Worker]) -> None:
        self.workers = workers

    @classmethod
    async def start(cls, count: int, env: dict, log: Path) -> "Clients":
        return cls(
            [await Worker.start("bench.loadgen", env, log, f"client{i}") for i in range(count)]
        )

    def share(self, cid: int) -> int:
        return cid % len(self.workers)

    async def each(self, cmd: str, per_worker=None, **kwargs) -> list:
        calls = []
        for index, worker in enumerate(self.workers):
            extra = per_worker(index) if per_worker else {}
            calls.append(worker.call(cmd, **kwargs, **extra))
        return await asyncio.gather(*calls)

    async def connect(self, url: str, conns: list, **kwargs) -> dict:
        parts = [[] for _ in self.workers]
        for conn in conns:
            parts[self.share(conn[0])].append(conn)
        results = await self.each(
            "connect", per_worker=lambda i: {"conns": parts[i]}, url=url, **kwargs
        )
        return {
            "connected": sum(r["connected"] for r in results),
            "failed": sum(r["failed"] for r in results),
            "seconds": max(r["seconds"] for r in results),
            "errors": _merge_counts(r["errors"] for r in results),
            "retries": sum(r.get("retries", 0) for r in results),
        }

    async def stats(self, heads: dict, label: str | None = None) -> dict:
        results = await self.each("stats", heads=heads, label=label)
        hist: dict[int, int] = {}
        timeline: dict[int, list[int]] = {}
        t0 = min(r["t0"] for r in results)
        for r in results:
            for ms, count in r["hist"].items():
                hist[int(ms)] = hist.get(int(ms), 0) + count
            shift = int(r["t0"] - t0)
            for second, (count, worst) in r["timeline"].items():
                slot = timeline.setdefault(int(second) + shift, [0, 0])
                slot[0] += count
                slot[1] = max(slot[1], worst)
        return {
            "hist": hist,
            "deliveries": sum(r["deliveries"] for r in results),
            "dups": sum(r["dups"] for r in results),
            "lost": sum(r["lost"] for r in results),
            "unrecovered": sum(r["unrecovered"] for r in results),
            "reordered": sum(r["reordered"] for r in results),
            "alive": sum(r["alive"] for r in results),
            "closes": _merge_counts(r["closes"] for r in results),
            "errors": _merge_counts(r["errors"] for r in results),
            "timeline": sorted(timeline.items()),
            "per_event": _merge_per_event(r.get("per_event") for r in results),
        }

    async def closed(self, label: str | None = None) -> list[int]:
        return [cid for r in await self.each("closed", label=label) for cid in r["cids"]]

    async def drain(self, heads: dict, timeout: float) -> dict:
        results = await self.each("drain", heads=heads, timeout=timeout)
        return {
            "behind": sum(r["behind"] for r in results),
            "seconds": max(r["seconds"] for r in results),
        }

    async def stop(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(Exception):
                await worker.call("close", wait=30)
            await worker.stop()


def _merge_per_event(parts) -> dict | None:
    """{"topic seq": {ms: deliveries}} of every worker, summed."""
    merged: dict[str, dict[int, int]] = {}
    for part in parts:
        for key, hist in (part or {}).items():
            into = merged.setdefault(key, {})
            for ms, count in hist.items():
                into[int(ms)] = into.get(int(ms), 0) + count
    return merged or None


def _merge_counts(dicts) -> dict:
    merged: dict[str, int] = {}
    for d in dicts:
        for key, value in d.items():
            merged[key] = merged.get(key, 0) + value
    return merged


class Server:
    """One peer under test: `planpal web`, the naive Channels app, the raw floor or the REST
    floor (bench/floor). `worker`: PlanPal as deployed with a broker, a `planpal worker` beside
    the web process doing the notifications after commit (FANOUT_IN_WORKER)."""

    def __init__(
        self, peer: str, procs: int, env: dict, log: Path, profile: Path | None = None,
        worker: bool = False,
    ):  # fmt: skip
        self.peer = peer
        self.procs = procs
        self.env = {**env, "FANOUT_IN_WORKER": "1"} if worker else env
        self.log = log
        self.port = free_port()
        self.process: asyncio.subprocess.Process | None = None
        self.profile = profile  # py-spy's collapsed stacks go here (`--profile`)
        self.profiler: asyncio.subprocess.Process | None = None
        self.worker: CeleryWorker | None = CeleryWorker(self.env, log) if worker else None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def command(self) -> list[str]:
        port = str(self.port)
        if self.peer == "planpal":
            return ["-m", "planpal.cli", "web", "--port", port, "--workers", str(self.procs)]
        if self.peer == "floor":
            return ["-m", "bench.floor", "--port", port]
        if self.peer == "naive":
            return ["-m", "bench.naive", "--port", port, "--workers", str(self.procs)]
        return ["-m", "bench.raw_server", "--port", port, "--procs", str(self.procs)]

    async def start(self) -> "Server":
        if self.worker is not None:
            await self.worker.start()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *self.command(), cwd=ROOT, env=self.env,
            stdout=self.log.open("ab"), stderr=asyncio.subprocess.STDOUT,
            start_new_session=True, preexec_fn=raise_fd_limit,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=1) as http:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise RuntimeError(f"{self.peer} server exited; see {self.log}")
                # uvicorn --workers N: wait until every worker process is up.
                everyone = len(self.tree()) >= self.procs + (1 if self.procs > 1 else 0)
                if everyone and await self._ready(http):
                    await asyncio.sleep(1.0 if self.procs > 1 else 0.2)
                    await self._start_profiler()
                    return self
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.peer} server did not start; see {self.log}")

    async def _ready(self, http: httpx.AsyncClient) -> bool:
        if self.peer == "raw":
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return True
            except OSError:
                return False
        try:
            response = await http.get(f"http://127.0.0.1:{self.port}/api/v1/health/live")
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def sample(self) -> dict:
        """CPU seconds used so far and resident memory, summed over the server's processes."""
        cpu = rss = 0.0
        for proc in self.tree():
            try:
                times = proc.cpu_times()
                cpu += times.user + times.system
                rss += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return {"cpu": cpu, "rss": rss, "t": time.monotonic()}

    async def _start_profiler(self) -> None:
        spy = shutil.which("py-spy") or os.environ.get("BENCH_PYSPY")
        if self.profile is None or not spy:
            return
        self.profiler = await asyncio.create_subprocess_exec(
            spy, "record", "--pid", str(self.process.pid), "--subprocesses", "--rate", "100",
            "--nonblocking", "--format", "raw", "--output", str(self.profile),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip

    async def stop(self) -> None:
        if self.profiler is not None and self.profiler.returncode is None:
            self.profiler.send_signal(signal.SIGINT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.profiler.wait(), 20)
        await stop_group(self.process)
        if self.worker is not None:
            await stop_group(self.worker.process)


async def stop_group(process: asyncio.subprocess.Process | None) -> None:
    """SIGTERM a child's process group, SIGKILL after 15 s."""
    if process is None or process.returncode is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


class CeleryWorker:
    """`planpal worker` on the default queue, one task at a time (`--pool solo`): the fan-out's
    claim serialises fan-outs anyway, and the machine has 2 cores."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env = env
        self.log = log.with_name(log.stem + "-worker.log")
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "planpal.cli", "worker", "--queues", "default",
            "--pool", "solo", "--concurrency", "1",
            cwd=ROOT, env=self.env,
            stdout=self.log.open("ab"), stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        import redis

        # Once it takes tasks, a worker writes its heartbeat (planpal.ops.heartbeat).
        beats = redis.Redis.from_url(self.env["REDIS_URL"])
        key = self.env.get("REDIS_KEY_PREFIX", "pp:") + "workers"
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise RuntimeError(f"planpal worker exited; see {self.log}")
                if beats.zcard(key):
                    return
                await asyncio.sleep(0.2)
        finally:
            beats.close()
        raise RuntimeError(f"planpal worker did not start; see {self.log}")

    def cpu(self) -> float:
        return cpu_seconds([self.process.pid]) if self.process is not None else 0.0


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy so far (all processes, all cores)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


class Meter:
    """CPU of the server tree, the load clients, the driver and the whole machine over a window."""

    def __init__(self, server: "Server", clients: "Clients", driver: "Worker") -> None:
        self.server, self.clients, self.driver = server, clients, driver

    def sample(self) -> dict:
        sample = self.server.sample()
        sample["clients"] = cpu_seconds([w.process.pid for w in self.clients.workers])
        sample["driver"] = cpu_seconds([self.driver.process.pid])
        sample["machine"] = machine_busy()
        if self.server.worker is not None:
            sample["worker"] = self.server.worker.cpu()
        return sample


def usage(before: dict, after: dict) -> dict:
    wall = max(after["t"] - before["t"], 1e-6)
    result = {
        "cpu_percent": 100 * (after["cpu"] - before["cpu"]) / wall,
        "rss_mb": after["rss"] / 2**20,
    }
    for part in ("clients", "driver", "machine", "worker"):
        if part in before:
            result[f"{part}_cpu_percent"] = 100 * (after[part] - before[part]) / wall
    return result
