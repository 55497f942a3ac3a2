"""A fake Firebase Cloud Messaging server (HTTP v1 API and the OAuth2 token endpoint) on a real
socket, for tests and manual runs. Stdlib only, plus `cryptography` and PyJWT for the keys.

Endpoints:
  POST /token                              OAuth2 JWT-bearer grant → {"access_token", ...}
  POST /v1/projects/<p>/messages:send      checks the Bearer token and the message's shape
  POST /_script  {"token": str|null, "replies": [...]}   script replies (for other processes)
  GET  /_received                          every request so far, as JSON
  POST /_reset                             forget requests and scripts

Replies are scripted per device token or globally (token None) and consumed in order; with none
left a send succeeds. `storm(replies)` makes every send answer those replies in turn, whatever
its script, until `calm()` (an outage of the whole service); `answered` pairs each send with the
reply it got. A reply is a Reply or a spec: a name ("UNREGISTERED", "SENDER_ID_MISMATCH",
"INVALID_TOKEN", "INVALID_ARGUMENT", "QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL", "HANG", "OK")
or a dict {"name": ..., "retry_after": "7"} / {"name": "HANG", "seconds": 2}.
"""

import itertools
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
SEND_PATH = ("/v1/projects/", "/messages:send")
MESSAGE_KEYS = {"token", "notification", "data", "android", "apns", "webpush", "fcm_options"}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: dict | None = None  # None: the normal success body
    headers: dict[str, str] = field(default_factory=dict)
    hang_seconds: float = 0.0  # wait this long before answering (a client timeout)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON or form (dict), or the raw text
    at: float  # time.monotonic() when it arrived

    @property
    def message(self) -> dict:
        """For a messages:send request: the message object."""
        return self.body.get("message", {}) if isinstance(self.body, dict) else {}


def fcm_error(
    status: int,
    grpc_status: str,
    message: str,
    error_code: str | None = None,
    *,
    field_violation: str | None = None,
    headers: dict | None = None,
) -> Reply:
    """An error reply in the FCM v1 shape."""
    details: list[dict] = []
    if error_code:
        details.append({"@type": FCM_ERROR_TYPE, "errorCode": error_code})
    if field_violation:
        details.append(
            {
                "@type": BAD_REQUEST_TYPE,
                "fieldViolations": [{"field": field_violation, "description": message}],
            }
        )
    body = {"error": {"code": status, "message": message, "status": grpc_status}}
    if details:
        body["error"]["details"] = details
    return Reply(status=status, body=body, headers=headers or {})


def reply(spec: "Reply | str | dict") -> Reply:
    """A Reply from a name or a {"name": ..., options} dict (see the module docstring)."""
    if isinstance(spec, Reply):
        return spec
    options = dict(spec) if isinstance(spec, dict) else {"name": spec}
    name = str(options.pop("name")).upper()
    retry_after = options.get("retry_after")
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if name == "OK":
        return Reply()
    if name == "HANG":
        return Reply(hang_seconds=float(options.get("seconds", 30)))
    if name == "UNREGISTERED":
        return fcm_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
    if name == "SENDER_ID_MISMATCH":
        return fcm_error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")
    if name == "INVALID_TOKEN":
        return fcm_error(
            400,
            "INVALID_ARGUMENT",
            "The registration token is not a valid FCM registration token",
            "INVALID_ARGUMENT",
            field_violation="message.token",
        )
    if name == "INVALID_ARGUMENT":
        field_name = options.get("field", "message.data")
        return fcm_error(
            400,
            "INVALID_ARGUMENT",
            f"Invalid value at '{field_name}'",
            "INVALID_ARGUMENT",
            field_violation=field_name,
        )
    if name == "QUOTA_EXCEEDED":
        return fcm_error(
            429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED", headers=headers
        )
    if name == "UNAVAILABLE":
        return fcm_error(
            503, "UNAVAILABLE", "The service is unavailable.", "UNAVAILABLE", headers=headers
        )
    if name == "INTERNAL":
        return fcm_error(500, "INTERNAL", "Internal error encountered.", "INTERNAL")
    raise ValueError(f"Unknown reply {name!r}")


class FakeFcm:
    """The fake server, in a background thread: `with FakeFcm() as fcm: ...` or start()/stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, project_id: str = "planpal-test"):
        self.project_id = project_id
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._received: list[Received] = []
        self._scripts: dict[str | None, list[Reply]] = {}
        self._storm: itertools.cycle | None = None
        self._answered: list[tuple[Received, Reply]] = []
        self._access_tokens: set[str] = set()
        self._public_keys: list[Any] = []
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def start(self) -> "FakeFcm":
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits up to one interval
            name="fake-fcm",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging replies
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FakeFcm":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ------------------------------------------------------------------ scripting and records
    def script(self, token: str | None, replies: list) -> None:
        """Queue replies for sends to `token` (None: to any token without a script of its own)."""
        with self._lock:
            self._scripts.setdefault(token, []).extend(reply(r) for r in replies)

    def storm(self, replies: list) -> None:
        """Answer every send with `replies` in turn (cycling) until `calm()`."""
        with self._lock:
            self._storm = itertools.cycle([reply(r) for r in replies])

    def calm(self) -> None:
        with self._lock:
            self._storm = None

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._scripts.clear()
            self._answered.clear()
            self._storm = None

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def sends(self) -> list[Received]:
        return [r for r in self.received if r.path.endswith(SEND_PATH[1])]

    @property
    def answered(self) -> list[tuple[Received, Reply]]:
        """Each messages:send request with the reply it got, in arrival order."""
        with self._lock:
            return list(self._answered)

    @property
    def token_requests(self) -> list[Received]:
        return [r for r in self.received if r.path == "/token"]

    def write_service_account(self, path: str | Path) -> Path:
        """Write a service-account JSON with a fresh RSA key whose token_uri is this server; the
        server then checks that token requests are signed with that key."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        with self._lock:
            self._public_keys.append(key.public_key())
        info = {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": f"fake-{len(self._public_keys)}",
            "private_key": pem,
            "client_email": f"push@{self.project_id}.iam.gserviceaccount.com",
            "client_id": "1",
            "auth_uri": f"{self.url}/auth",
            "token_uri": self.token_uri,
        }
        path = Path(path)
        path.write_text(json.dumps(info))
        return path

    # ------------------------------------------------------------------ request handling
    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        body = _parse(raw, headers.get("content-type", ""))
        received = Received(method, path, headers, body, time.monotonic())
        with self._lock:
            self._received.append(received)
        if method == "POST" and path == "/token":
            return self._token(body)
        if method == "POST" and path.startswith(SEND_PATH[0]) and path.endswith(SEND_PATH[1]):
            project = path[len(SEND_PATH[0]) : -len(SEND_PATH[1])]
            answer = self._send(project, headers, body)
            with self._lock:
                self._answered.append((received, answer))
            return answer
        if method == "POST" and path == "/_script":
            self.script(body.get("token"), body.get("replies", []))
            return Reply(body={})
        if method == "POST" and path == "/_reset":
            self.reset()
            return Reply(body={})
        if method == "GET" and path == "/_received":
            return Reply(body={"received": [asdict(r) for r in self.received]})
        return fcm_error(404, "NOT_FOUND", f"No route {method} {path}")

    def hang(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _token(self, form: Any) -> Reply:
        form = form if isinstance(form, dict) else {}
        if form.get("grant_type") != JWT_BEARER:
            return Reply(400, {"error": "unsupported_grant_type"})
        assertion = form.get("assertion", "")
        if not assertion or not self._assertion_ok(assertion):
            return Reply(400, {"error": "invalid_grant", "error_description": "Bad assertion."})
        access_token = f"fake-access-{next(self._ids)}"
        with self._lock:
            self._access_tokens.add(access_token)
        return Reply(
            body={"access_token": access_token, "expires_in": 3600, "token_type": "Bearer"}
        )

    def _assertion_ok(self, assertion: str) -> bool:
        with self._lock:
            keys = list(self._public_keys)
        if not keys:  # credentials made elsewhere: only the grant's shape is checked
            return assertion.count(".") == 2
        for key in keys:
            try:
                claims = jwt.decode(
                    assertion, key, algorithms=["RS256"], options={"verify_aud": False}
                )
            except jwt.InvalidTokenError:
                continue
            return FCM_SCOPE in str(claims.get("scope", "")).split()
        return False

    def _send(self, project: str, headers: dict[str, str], body: Any) -> Reply:
        bearer = headers.get("authorization", "")
        with self._lock:
            authorised = bearer.startswith("Bearer ") and bearer[7:] in self._access_tokens
        if not authorised:
            return fcm_error(401, "UNAUTHENTICATED", "Request had invalid authentication.")
        if project != self.project_id:
            return fcm_error(404, "NOT_FOUND", "Requested entity was not found.")
        problem = message_problem(body)
        if problem is not None:
            return fcm_error(
                400, "INVALID_ARGUMENT", problem[1], "INVALID_ARGUMENT", field_violation=problem[0]
            )
        scripted = self._next_reply(body["message"]["token"])
        if scripted.status == 200 and scripted.body is None:
            return Reply(
                body={"name": f"projects/{project}/messages/{next(self._ids)}"},
                hang_seconds=scripted.hang_seconds,
            )
        return scripted

    def _next_reply(self, token: str) -> Reply:
        with self._lock:
            if self._storm is not None:
                return next(self._storm)
            for key in (token, None):
                if self._scripts.get(key):
                    return self._scripts[key].pop(0)
        return Reply()


def message_problem(body: Any) -> tuple[str, str] | None:
    """(field, description) of the first thing FCM would refuse in a send body, or None."""
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict):
        return "message", "Missing message."
    unknown = set(message) - MESSAGE_KEYS
    if unknown:
        return "message", f"Unknown name {sorted(unknown)[0]!r}."
    if not isinstance(message.get("token"), str) or not message["token"]:
        return "message.token", "The registration token is not a valid FCM registration token"
    notification = message.get("notification", {})
    if not isinstance(notification, dict) or not all(
        isinstance(notification.get(k, ""), str) for k in ("title", "body")
    ):
        return "message.notification", "Title and body must be strings."
    data = message.get("data", {})
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return "message.data", "Data values must be strings."
    android = message.get("android", {})
    if android.get("priority", "NORMAL") not in {"NORMAL", "HIGH"}:
        return "message.android.priority", "Priority must be NORMAL or HIGH."
    ttl = android.get("ttl", "0s")
    if not (isinstance(ttl, str) and ttl.endswith("s") and ttl[:-1].replace(".", "", 1).isdigit()):
        return "message.android.ttl", "A duration like '3600s'."
    for platform in ("apns", "webpush"):
        platform_headers = message.get(platform, {}).get("headers", {})
        if not all(isinstance(v, str) for v in platform_headers.values()):
            return f"message.{platform}.headers", "Header values must be strings."
    return None


def _parse(raw: bytes, content_type: str) -> Any:
    """JSON whatever the content type says (curl calls everything a form), else a form."""
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text) if text else {}
    except ValueError:
        pass
    if "application/x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(text).items()}
    return text


def _handler_for(server: FakeFcm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = server.handle(self.command, self.path, headers, raw)
            if answer.hang_seconds:
                server.hang(answer.hang_seconds)
            payload = json.dumps(answer.body if answer.body is not None else {}).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (a timeout test): nobody to answer
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests read `received` instead

    return Handler
