"""REST scenarios of the bench: reads (`me`, plan list, plan detail, `health/live`) against PlanPal
and the REST floor (bench/floor: the same selectors and serializers on a bare Django + DRF stack).

Latency is measured by one keep-alive HTTP/1.1 client per peer that sends the next request when
the previous answer is in (a minimal asyncio client: headers written by hand, the body read by
Content-Length, so the client costs little next to the server). The peers take turns in short
rounds, so both face the same machine. New database connections are MariaDB's
`SHOW GLOBAL STATUS LIKE 'Connections'` before and after each peer's requests: a machine-wide
counter, exact only while nothing else connects (the quiet machine the figures are taken on).
"""

import asyncio
import time
from urllib.parse import urlsplit

READ_PATHS = {
    "live": "/api/v1/health/live",
    "me": "/api/v1/me",
    "plans": "/api/v1/plans",
    "plan": "/api/v1/plans/{plan}",
}
REST_PEERS = ("planpal", "floor")


class HttpClient:
    """One keep-alive connection; `get` returns (status, body, seconds)."""

    def __init__(self, port: int, token: str = "") -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes, float]:
        return await self.request("GET", path)

    async def request(
        self, method: str, path: str, body: bytes | None = None, token: str = ""
    ) -> tuple[int, bytes, float]:
        """One request; `token` (a user's access token) overrides the client's.

        The server closes a keep-alive connection idle for 5 s (uvicorn's `timeout_keep_alive`),
        as it does between the peers' turns: such a connection is replaced before the request
        (it used to fail the reads scenario with IncompleteReadError, "0 bytes read")."""
        if self.writer is None or self.writer.is_closing() or self.reader.at_eof():
            await self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        started = time.perf_counter()
        extra = f"Host: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {token or self.token}\r\n"
        if body is not None:
            extra += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        head = f"{method} {path} HTTP/1.1\r\n{extra}\r\n".encode()
        self.writer.write(head + (body or b""))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, chunked = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
        body = await (self._chunks() if chunked else self.reader.readexactly(length))
        return status, body, time.perf_counter() - started

    async def _chunks(self) -> bytes:
        """A chunked body (responses without Content-Length, e.g. with no middleware)."""
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(part[:-2] for part in parts)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def mysql_connections(database_url: str) -> int | None:
    """MariaDB/MySQL's count of connections ever opened (None on other databases)."""
    if not database_url.startswith("mysql"):
        return None
    import MySQLdb

    url = urlsplit(database_url)
    db = MySQLdb.connect(
        host=url.hostname or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
        passwd=url.password or "",
    )  # fmt: skip
    try:
        cursor = db.cursor()
        cursor.execute("SHOW GLOBAL STATUS LIKE 'Connections'")
        return int(cursor.fetchone()[1]) - 1  # not counting this one
    finally:
        db.close()


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def read_scenario(bench, requests: int, say, rounds: int = 4) -> dict:
    """Every path, `requests` times per peer, in `rounds` alternating turns."""
    user = bench.world["user_ids"][0]
    plan = bench.world["small"][0]["plan"]
    token = (await bench.driver.call("token", user_id=user))["token"]
    servers = {peer: await bench.server(peer) for peer in REST_PEERS}
    clients = {peer: HttpClient(servers[peer].port, token) for peer in REST_PEERS}
    out: dict = {peer: {} for peer in REST_PEERS}
    try:
        for name, template in READ_PATHS.items():
            path = template.format(plan=plan)
            times: dict[str, list[float]] = {peer: [] for peer in REST_PEERS}
            opened: dict[str, int | None] = {peer: 0 for peer in REST_PEERS}
            for peer in REST_PEERS:  # warm-up: imports, caches, the first connections
                for _ in range(20):
                    await _checked(clients[peer], path)
            for _ in range(rounds):
                for peer in REST_PEERS:
                    before = await asyncio.to_thread(mysql_connections, bench.database_url)
                    for _ in range(requests // rounds):
                        times[peer].append(await _checked(clients[peer], path))
                    after = await asyncio.to_thread(mysql_connections, bench.database_url)
                    if before is None or opened[peer] is None:
                        opened[peer] = None
                    else:
                        opened[peer] += after - before
            for peer in REST_PEERS:
                out[peer][name] = {
                    "requests": len(times[peer]),
                    "p50_ms": 1000 * _percentile(times[peer], 0.5),
                    "p99_ms": 1000 * _percentile(times[peer], 0.99),
                    "db_connections": opened[peer],
                    "db_connections_per_1000": (
                        None if opened[peer] is None else 1000 * opened[peer] / len(times[peer])
                    ),
                }
            log_line = "  ".join(
                f"{peer} p50 {out[peer][name]['p50_ms']:.2f} ms "
                f"p99 {out[peer][name]['p99_ms']:.2f} ms "
                f"db conns {out[peer][name]['db_connections']}"
                for peer in REST_PEERS
            )
            say(f"reads {name}: {log_line}")
    finally:
        for peer in REST_PEERS:
            await clients[peer].close()
            await servers[peer].stop()
    return out


async def _checked(client: HttpClient, path: str) -> float:
    status, body, seconds = await client.get(path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
    return seconds
