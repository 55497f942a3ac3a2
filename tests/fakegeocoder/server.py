"""A fake Nominatim `/search` endpoint on a real socket (stdlib only).

It answers `GET /search?q=…&format=jsonv2&limit=N` from a small gazetteer (GAZETTEER: a query
matches places whose name contains it, case-insensitively), and records every request (`.asked`:
path, query parameters, headers). `script(reply)` makes the next answers something else, in
order: "error" (HTTP 500), "garbage" (not JSON), "object" (a JSON object, not a list),
{"hang": seconds} (answers after that long), or a list of raw results."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LICENCE = "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright"


def place(name: str, address: str, lat: str, lon: str, category: str, kind: str) -> dict:
    return {
        "licence": LICENCE,
        "lat": lat,
        "lon": lon,
        "category": category,
        "type": kind,
        "name": name,
        "display_name": f"{name}, {address}",
    }


GAZETTEER = [
    place(
        "Torre de Belém",
        "Avenida Brasília, Belém, Lisboa, Portugal",
        "38.6915837",
        "-9.2159850",
        "tourism",
        "attraction",
    ),
    place(
        "Time Out Market Lisboa",
        "Avenida 24 de Julho, Lisboa, Portugal",
        "38.7069320",
        "-9.1458830",
        "amenity",
        "marketplace",
    ),
    place("Belém", "Lisboa, Portugal", "38.6974", "-9.2063", "boundary", "administrative"),
    place("Belém", "Pará, Brasil", "-1.4554", "-48.4898", "boundary", "administrative"),
]


class FakeGeocoder:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.asked: list[dict[str, Any]] = []
        self.replies: list[Any] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.handle(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeGeocoder":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *replies: Any) -> None:
        with self.lock:
            self.replies.extend(replies)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        with self.lock:
            self.asked.append(
                {"path": url.path, "params": params, "headers": dict(request.headers)}
            )
            reply = self.replies.pop(0) if self.replies else None
        if isinstance(reply, dict) and "hang" in reply:
            time.sleep(reply["hang"])
            reply = None
        if reply == "error":
            return self.send(request, 500, b"upstream broke")
        if reply == "garbage":
            return self.send(request, 200, b"<html>not json</html>")
        if reply == "object":
            return self.send(request, 200, b'{"error": "Unable to geocode"}')
        if url.path != "/search":
            return self.send(request, 404, b"[]")
        results = reply if isinstance(reply, list) else self.lookup(params)
        self.send(request, 200, json.dumps(results).encode())

    def lookup(self, params: dict[str, str]) -> list[dict]:
        text = params.get("q", "").casefold()
        found = [p for p in GAZETTEER if text in p["display_name"].casefold()]
        if "viewbox" in params:  # Nominatim ranks places inside the box first
            left, top, right, bottom = map(float, params["viewbox"].split(","))

            def inside(p: dict) -> bool:
                return left <= float(p["lon"]) <= right and bottom <= float(p["lat"]) <= top

            found.sort(key=lambda p: not inside(p))
        return found[: int(params.get("limit", "10"))]

    @staticmethod
    def send(request: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
