"""Sending an endpoint's deliveries: strictly one at a time, oldest first, retried with
exponential backoff for up to WEBHOOK_RETRY_WINDOW_SECONDS, then the endpoint is disabled.

Ordering. Only the task holding an endpoint's lease sends for it (`_claim`, a row lock on the
endpoint), and it always sends the endpoint's oldest pending delivery (its queue head — the
endpoint's cursor). Delivery rows of one topic are created under that topic's sequence lock, so
their ids follow the topic's seqs: the head order is seq order per topic. While the head fails,
nothing behind it is sent.

Crashes. The lease expires WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS after it was last
renewed; the periodic sweep (`endpoints_due`) restarts any endpoint whose head is due and whose
lease is free or expired. A request whose outcome was lost is sent again with the same
idempotency id: delivery is at-least-once, receivers dedupe by `Idempotency-Key`.
"""

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from planpal.core.backoff import retry_delay
from planpal.realtime.frames import event_frame
from planpal.realtime.models import Event
from planpal.webhooks import transport
from planpal.webhooks.disabling import creator_can_manage, endpoints_orphan, webhook_disable
from planpal.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

LEASE_MARGIN_SECONDS = 30
# One task run sends at most this many deliveries / for about this long, then hands over to a
# fresh task so one busy endpoint does not hold a worker forever.
RUN_MAX_DELIVERIES = 200
RUN_MAX_SECONDS = 30.0
Pending = WebhookDelivery.Status.PENDING


def deliveries_run(*, endpoint_id: int) -> float | None:
    """Send the endpoint's due deliveries in order. Returns the countdown after which a new run
    is needed (a retry, or more work than one run may do), or None when nothing is due."""
    token = _claim(endpoint_id)
    if token is None:
        return None  # another task holds the lease; it will look at the queue again
    started = time.monotonic()
    sent = 0
    while True:
        head = _next(endpoint_id, token)
        if not isinstance(head, WebhookDelivery):
            return head
        if sent >= RUN_MAX_DELIVERIES or time.monotonic() - started > RUN_MAX_SECONDS:
            _release(endpoint_id, token)
            return 0.0
        response = _send(head)
        sent += 1
        if not _record(head, response, token):
            return _next_due(endpoint_id, token)


def endpoints_due() -> list[int]:
    """Active endpoints whose queue head is due and whose lease is free (the sweep's work)."""
    now = timezone.now()
    heads = (
        WebhookDelivery.objects.filter(status=Pending, endpoint__active=True)
        .values("endpoint_id")
        .annotate(head=Min("id"))
        .values("head")
    )
    free = Q(endpoint__lease_token="") | Q(endpoint__lease_expires_at__lt=now)
    due = WebhookDelivery.objects.filter(free, pk__in=heads, next_attempt_at__lte=now)
    return sorted(set(due.values_list("endpoint_id", flat=True)))


def request_body(delivery: WebhookDelivery) -> str | None:
    """The JSON envelope: the event exactly as WebSocket and SSE subscribers get it."""
    if delivery.body:
        return delivery.body
    row = Event.objects.filter(id=delivery.event_id).first()
    return event_frame(row) if row is not None else None


# ---------------------------------------------------------------------------- lease
def _lease_until():
    seconds = settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS
    return timezone.now() + timedelta(seconds=seconds)


def _locked(endpoint_id: int) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()


def _claim(endpoint_id: int) -> str | None:
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint is None or not endpoint.active:
            return None
        expires = endpoint.lease_expires_at
        if endpoint.lease_token and expires is not None and expires > timezone.now():
            return None
        endpoint.lease_token = secrets.token_hex(16)
        endpoint.lease_expires_at = _lease_until()
        endpoint.save(update_fields=["lease_token", "lease_expires_at"])
        return endpoint.lease_token


def _release(endpoint_id: int, token: str) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id, lease_token=token).update(
        lease_token="", lease_expires_at=None
    )


def _next(endpoint_id: int, token: str) -> WebhookDelivery | float | None:
    """The queue head if it is due (the lease is renewed for it). Otherwise the lease is released
    — atomically with looking, so a delivery committed meanwhile is either seen here or finds
    the lease free — and the answer is the countdown to the head (None: nothing pending)."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint is None or endpoint.lease_token != token:
            return None  # lease lost (expired and taken over): the new holder carries on
        head = None
        if endpoint.active and not creator_can_manage(endpoint):
            # Belt and braces beside the membership hooks: nothing queued leaves on the
            # authority of a creator who lost it (an account deactivated outside the admin).
            endpoints_orphan(
                WebhookEndpoint.objects.filter(pk=endpoint_id),
                why=gettext_lazy("Its creator {name} can no longer manage the group."),
            )
            endpoint.refresh_from_db()
        if endpoint.active:
            head = (
                WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=Pending)
                .order_by("id")
                .first()
            )
        now = timezone.now()
        if head is not None and head.next_attempt_at <= now:
            endpoint.lease_expires_at = _lease_until()
            endpoint.save(update_fields=["lease_expires_at"])
            head.endpoint = endpoint
            return head
        endpoint.lease_token = ""
        endpoint.lease_expires_at = None
        endpoint.save(update_fields=["lease_token", "lease_expires_at"])
        if head is None:
            return None
        return max(0.0, (head.next_attempt_at - now).total_seconds())


def _next_due(endpoint_id: int, token: str) -> float | None:
    head = _next(endpoint_id, token)
    if isinstance(head, WebhookDelivery):  # due already (a zero delay): hand over to a new run
        _release(endpoint_id, token)
        return 0.0
    return head


# ---------------------------------------------------------------------------- one request
def _send(delivery: WebhookDelivery) -> transport.Response:
    body = request_body(delivery)
    if body is None:
        return transport.Response(None, 0, error="event no longer in the event log")
    endpoint = delivery.endpoint
    timestamp = int(time.time())
    headers = {
        transport.SIGNATURE_HEADER: transport.signature_header(
            endpoint.signing_secrets(), timestamp, body
        ),
        "Idempotency-Key": str(delivery.event_id),
        "PlanPal-Event": delivery.event_name,
        "PlanPal-Delivery": str(delivery.pk),
    }
    return transport.post(endpoint.url, body, headers)


def _record(delivery: WebhookDelivery, response: transport.Response, token: str) -> bool:
    """Write the attempt and its consequences. True if the delivery succeeded."""
    now = timezone.now()
    with transaction.atomic():
        endpoint = _locked(delivery.endpoint_id)
        current = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if current is None or endpoint is None:
            return False
        current.attempts += 1
        WebhookAttempt.objects.create(
            delivery=current,
            number=current.attempts,
            status_code=response.status_code,
            error=response.error,
            response_excerpt=response.excerpt,
            latency_ms=response.latency_ms,
        )
        current.last_status_code = response.status_code
        current.last_latency_ms = response.latency_ms
        current.last_error = response.error or (
            "" if response.ok else f"HTTP {response.status_code}"
        )
        if current.status != Pending:
            current.save()
            return response.ok
        if response.ok:
            current.status = WebhookDelivery.Status.DELIVERED
            current.delivered_at = now
            current.save()
            return True
        current.first_failed_at = current.first_failed_at or now
        retry = retry_delay(  # equal jitter: a failing receiver gets at least half the window
            current.attempts,
            base=settings.WEBHOOK_RETRY_BASE_SECONDS,
            cap=settings.WEBHOOK_MAX_RETRY_DELAY_SECONDS,
            floor=0.5,
        )
        give_up_at = current.first_failed_at + timedelta(
            seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS
        )
        if now >= give_up_at:
            current.status = WebhookDelivery.Status.FAILED
            current.save()
            log.warning(
                "webhook %s failing since %s: disabled", endpoint.pk, current.first_failed_at
            )
            webhook_disable(endpoint=endpoint, reason="Deliveries failed for too long.")
            return False
        current.next_attempt_at = min(now + timedelta(seconds=retry), give_up_at)
        current.save()
        return False
