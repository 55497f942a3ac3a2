"""Sending one push to one device: every attempt is recorded as a PushAttempt, a dead token
deactivates the device, and a transient failure comes back with the delay before the next try.

A Celery task is the intended caller:

    outcome = push_send(device=device, ..., attempt=self.request.retries + 1)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
"""

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from planpal.core import metrics
from planpal.core.backoff import retry_delay
from planpal.notifications.models import Device, Notification, PushAttempt
from planpal.notifications.push.transport import (
    FcmTransport,
    LogTransport,
    PushError,
    PushMessage,
    Transport,
)

log = logging.getLogger(__name__)

SKIPPED = "skipped"  # the device was inactive: nothing sent, nothing recorded
RETRY_BASE_SECONDS = 2.0  # the backoff window after the first failure; it doubles each time


@dataclass(frozen=True)
class PushOutcome:
    """What became of one push_send call. `status` is a PushAttempt.Outcome value or SKIPPED;
    `retry_in` (seconds) is set only when the caller should try again."""

    status: str
    message_id: str = ""
    error_code: str = ""
    retry_in: float | None = None


def push_send(
    *,
    device: Device,
    title: str,
    body: str,
    data: dict[str, Any] | None = None,
    collapse_key: str = "",
    notification: Notification | None = None,
    attempt: int = 1,
    high_priority: bool = True,
    ttl_seconds: int = 3600,
) -> PushOutcome:
    """Push one message to one device, at most once per call. `attempt` counts from 1; after
    PUSH_MAX_ATTEMPTS transient failures the outcome carries no retry_in: the push is dropped.
    An inactive device (as the database says now, not the instance) gets nothing."""
    token = Device.objects.filter(pk=device.pk, active=True).values_list("token", flat=True).first()
    if token is None:
        device.active = False
        return PushOutcome(status=SKIPPED)
    message = PushMessage(
        token=token,
        title=title,
        body=body,
        data=data or {},
        collapse_key=collapse_key,
        high_priority=high_priority,
        ttl_seconds=ttl_seconds,
    )
    started = time.monotonic()
    try:
        message_id = get_transport().send(message)
    except PushError as error:
        latency_ms = _ms_since(started)
        return _failed(device, notification, attempt, error, latency_ms)
    _record(
        device,
        notification,
        attempt,
        PushAttempt.Outcome.SENT,
        latency_ms=_ms_since(started),
        message_id=message_id,
    )
    return PushOutcome(status=PushAttempt.Outcome.SENT, message_id=message_id)


_transport_lock = threading.Lock()
_transport: tuple[tuple, Transport] | None = None


def get_transport() -> Transport:
    """This process's transport for the current settings, built on first use. The process id is
    part of the key so a forked worker never reuses its parent's connections."""
    global _transport
    key = (
        os.getpid(),
        settings.PUSH_TRANSPORT,
        settings.FCM_CREDENTIALS_FILE,
        settings.FCM_PROJECT_ID,
        settings.FCM_ENDPOINT,
        settings.FCM_TOKEN_URI,
        settings.PUSH_TIMEOUT_SECONDS,
    )
    with _transport_lock:
        if _transport is None or _transport[0] != key:
            if _transport is not None and _transport[0][0] == key[0]:
                getattr(_transport[1], "close", lambda: None)()
            _transport = (key, _build_transport())
        return _transport[1]


# ---------------------------------------------------------------------------- private
def _build_transport() -> Transport:
    if settings.PUSH_TRANSPORT == "log":
        return LogTransport()
    if settings.PUSH_TRANSPORT == "fcm":
        if not settings.FCM_CREDENTIALS_FILE:
            raise ImproperlyConfigured("PUSH_TRANSPORT=fcm needs FCM_CREDENTIALS_FILE.")
        return FcmTransport(
            credentials_file=settings.FCM_CREDENTIALS_FILE,
            project_id=settings.FCM_PROJECT_ID,
            endpoint=settings.FCM_ENDPOINT,
            token_uri=settings.FCM_TOKEN_URI,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
        )
    raise ImproperlyConfigured(f"Unknown PUSH_TRANSPORT {settings.PUSH_TRANSPORT!r}.")


def _failed(
    device: Device,
    notification: Notification | None,
    attempt: int,
    error: PushError,
    latency_ms: int,
) -> PushOutcome:
    if error.permanent:
        outcome = PushAttempt.Outcome.TOKEN_INVALID
    elif error.retryable:
        outcome = PushAttempt.Outcome.TRANSIENT
    else:
        outcome = PushAttempt.Outcome.REJECTED
    with transaction.atomic():
        _record(
            device,
            notification,
            attempt,
            outcome,
            latency_ms=latency_ms,
            http_status=error.http_status,
            error_code=error.code,
        )
        if error.permanent:
            Device.objects.filter(pk=device.pk).update(active=False)
            device.active = False
    retry_in = None
    if error.retryable and attempt < settings.PUSH_MAX_ATTEMPTS:
        retry_in = retry_delay(
            attempt,
            base=RETRY_BASE_SECONDS,
            cap=settings.PUSH_MAX_RETRY_DELAY_SECONDS,
            retry_after=error.retry_after,
        )
    log.warning(
        "push to device %s failed (attempt %s): %s%s",
        device.pk,
        attempt,
        error,
        "; device deactivated" if error.permanent else "",
    )
    return PushOutcome(status=outcome, error_code=error.code, retry_in=retry_in)


def _record(
    device: Device,
    notification: Notification | None,
    attempt: int,
    outcome: str,
    *,
    latency_ms: int,
    http_status: int | None = None,
    error_code: str = "",
    message_id: str = "",
) -> PushAttempt:
    metrics.push_attempts.labels(outcome).inc()
    return PushAttempt.objects.create(
        device=device,
        notification=notification,
        attempt=attempt,
        outcome=outcome,
        http_status=http_status,
        error_code=error_code[:50],
        message_id=message_id[:200],
        latency_ms=latency_ms,
    )


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
