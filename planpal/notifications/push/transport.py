"""Push transports: FCM HTTP v1 (production) and the log (embedded default). Each sends one
PushMessage to one device token and returns the push service's message id, or raises PushError."""

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from uuid import uuid4

import google.auth.exceptions
import google.auth.transport
import httpx
from google.oauth2 import service_account

log = logging.getLogger(__name__)

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
# FCM's errorCodes that mean the token will never work again: the device must be deactivated.
DEAD_TOKEN_CODES = {"UNREGISTERED", "SENDER_ID_MISMATCH"}
TRANSIENT_CODES = {"QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL"}
# Keys FCM refuses in `data` (the whole message would be rejected, on every device).
RESERVED_DATA_KEYS = {"from", "notification", "message_type"}
RESERVED_DATA_PREFIXES = ("google", "gcm")
# A Web Push `Topic` header is at most 32 characters of the URL-safe base64 alphabet.
WEBPUSH_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
APNS_COLLAPSE_ID_MAX_BYTES = 64


class PushError(Exception):
    """A push that was not delivered.

    permanent: the token is dead (UNREGISTERED, SENDER_ID_MISMATCH, an invalid token); deactivate
      the device and never retry.
    retryable: worth trying again later (quota, outage, timeout), after at least `retry_after`
      seconds when the service said so. Neither permanent nor retryable means the service will
      never accept this message (a bad payload, a broken APNs setup): drop it, keep the device.
    """

    def __init__(
        self,
        code: str,
        message: str = "",
        *,
        permanent: bool = False,
        retryable: bool = False,
        retry_after: float | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.permanent = permanent
        self.retryable = retryable and not permanent
        self.retry_after = retry_after
        self.http_status = http_status


@dataclass(frozen=True)
class PushMessage:
    """What is pushed to one device. `data` values are turned into strings (FCM wants only those);
    `collapse_key` makes a newer push replace an undelivered older one with the same key."""

    token: str
    title: str
    body: str
    data: dict[str, Any] = field(default_factory=dict)
    collapse_key: str = ""
    high_priority: bool = True
    ttl_seconds: int = 3600

    def string_data(self) -> dict[str, str]:
        for key in self.data:
            if key in RESERVED_DATA_KEYS or key.lower().startswith(RESERVED_DATA_PREFIXES):
                raise ValueError(f"FCM reserves the data key {key!r}.")
        return {
            str(key): value if isinstance(value, str) else json.dumps(value)
            for key, value in self.data.items()
        }


class Transport(Protocol):
    def send(self, message: PushMessage) -> str:
        """Deliver the message; return the push service's message id. Raises PushError."""
        ...


class LogTransport:
    """The embedded default: writes each push to the log instead of sending it."""

    def send(self, message: PushMessage) -> str:
        message_id = f"log/{uuid4().hex}"
        log.info(
            "push %s to %s…: %r %r data=%s collapse_key=%r",
            message_id,
            message.token[:12],
            message.title,
            message.body,
            json.dumps(message.string_data(), sort_keys=True),
            message.collapse_key,
        )
        return message_id


class FcmTransport:
    """Firebase Cloud Messaging, HTTP v1 API. One instance per process: it holds the OAuth2 access
    token (refreshed a few minutes before it expires) and a pool of connections. Thread-safe."""

    def __init__(
        self,
        *,
        credentials_file: str,
        project_id: str = "",
        endpoint: str = "https://fcm.googleapis.com",
        token_uri: str = "",
        timeout: float = 10.0,
    ) -> None:
        credentials = service_account.Credentials.from_service_account_file(
            credentials_file, scopes=[FCM_SCOPE]
        )
        if token_uri:
            credentials = credentials.with_token_uri(token_uri)
        self.project_id = project_id or credentials.project_id
        if not self.project_id:
            raise ValueError("No FCM project id: set FCM_PROJECT_ID or use a service-account file.")
        self.url = f"{endpoint.rstrip('/')}/v1/projects/{self.project_id}/messages:send"
        self._credentials = credentials
        self._client = httpx.Client(timeout=timeout)
        self._token_lock = threading.Lock()

    def send(self, message: PushMessage) -> str:
        token = self.access_token()
        try:
            response = self._client.post(
                self.url,
                json=fcm_request_body(message),
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.TimeoutException as exc:
            raise PushError("TIMEOUT", str(exc), retryable=True) from exc
        except httpx.TransportError as exc:
            raise PushError("CONNECTION", str(exc), retryable=True) from exc
        if response.status_code == 200:
            return _json_or_empty(response).get("name", "")
        error = fcm_error(response.status_code, _json_or_empty(response), response.headers)
        if response.status_code == 401:
            self._forget_access_token()
        raise error

    def access_token(self) -> str:
        """The cached OAuth2 access token, fetched from the token URI when missing or about to
        expire (google-auth counts a token as expired 3m45s early)."""
        with self._token_lock:
            if not self._credentials.valid:
                try:
                    self._credentials.refresh(_HttpxAuthRequest(self._client))
                except google.auth.exceptions.GoogleAuthError as exc:
                    # Never the message's fault: retry, so pushes resume once the token
                    # endpoint answers again or the credentials are fixed.
                    raise PushError("AUTH", str(exc), retryable=True) from exc
            return self._credentials.token

    def close(self) -> None:
        self._client.close()

    def _forget_access_token(self) -> None:
        with self._token_lock:
            self._credentials.token = None


def fcm_request_body(message: PushMessage) -> dict:
    """The messages:send body: the notification for every platform, with the collapse key,
    priority and time-to-live spelt the way Android, APNs and Web Push each want them."""
    expires_at = int(time.time()) + message.ttl_seconds
    android: dict[str, Any] = {
        "priority": "HIGH" if message.high_priority else "NORMAL",
        "ttl": f"{message.ttl_seconds}s",
    }
    apns_headers = {
        "apns-priority": "10" if message.high_priority else "5",
        "apns-expiration": str(expires_at),
    }
    webpush_headers = {
        "TTL": str(message.ttl_seconds),
        "Urgency": "high" if message.high_priority else "normal",
    }
    if message.collapse_key:
        android["collapse_key"] = message.collapse_key
        collapse_id = message.collapse_key.encode()[:APNS_COLLAPSE_ID_MAX_BYTES]
        apns_headers["apns-collapse-id"] = collapse_id.decode(errors="ignore")
        if WEBPUSH_TOPIC.match(message.collapse_key):
            webpush_headers["Topic"] = message.collapse_key
    return {
        "message": {
            "token": message.token,
            "notification": {"title": message.title, "body": message.body},
            "data": message.string_data(),
            "android": android,
            "apns": {"headers": apns_headers},
            "webpush": {"headers": webpush_headers},
        }
    }


def fcm_error(status: int, body: dict, headers: httpx.Headers | dict) -> PushError:
    """Classify an FCM v1 error response. Only errors that name the token deactivate a device:
    an INVALID_ARGUMENT about the payload would otherwise switch off every device we send it to."""
    error = body["error"] if isinstance(body.get("error"), dict) else {}
    details = [d for d in error.get("details") or [] if isinstance(d, dict)]
    fcm_codes = [d.get("errorCode") for d in details if d.get("@type") == FCM_ERROR_TYPE]
    code = (fcm_codes and fcm_codes[0]) or error.get("status") or f"HTTP_{status}"
    text = str(error.get("message", ""))
    if code in DEAD_TOKEN_CODES:
        return PushError(code, text, permanent=True, http_status=status)
    if code == "INVALID_ARGUMENT" and _names_the_token(details, text):
        return PushError(code, text, permanent=True, http_status=status)
    # 401: our access token was refused (it is dropped and fetched again on the next try).
    if status in (401, 429) or status >= 500 or code in TRANSIENT_CODES:
        retry_after = parse_retry_after(headers.get("Retry-After"))
        return PushError(code, text, retryable=True, retry_after=retry_after, http_status=status)
    return PushError(code, text, http_status=status)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _names_the_token(details: list[dict], text: str) -> bool:
    for detail in details:
        if detail.get("@type") == BAD_REQUEST_TYPE:
            violations = detail.get("fieldViolations") or []
            if any(v.get("field") == "message.token" for v in violations if isinstance(v, dict)):
                return True
    return "registration token" in text.lower()


def _json_or_empty(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class _HttpxAuthRequest(google.auth.transport.Request):
    """Lets google-auth fetch access tokens over our httpx client (same timeouts, same pool)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        try:
            response = self._client.request(
                method,
                url,
                content=body,
                headers=headers,
                timeout=timeout if timeout is not None else self._client.timeout,
            )
        except httpx.HTTPError as exc:
            raise google.auth.exceptions.TransportError(exc) from exc
        return _HttpxAuthResponse(response)


class _HttpxAuthResponse(google.auth.transport.Response):
    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self):
        return self._response.headers

    @property
    def data(self) -> bytes:
        return self._response.content
