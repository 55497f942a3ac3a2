"""Every write to webhooks: register, change, rotate the secret, delete, send a test event,
redeliver (turning an endpoint off is in `disabling`)."""

import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planpal.core.background import enqueue
from planpal.core.events import topic_for
from planpal.core.exceptions import Conflict, InvalidInput, NotFound
from planpal.realtime.frames import dumps, iso_ms
from planpal.webhooks import selectors, transport
from planpal.webhooks.delivery import request_body
from planpal.webhooks.disabling import creator_can_manage, endpoint_disable
from planpal.webhooks.events import WebhookTest
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint
from planpal.webhooks.tasks import deliver_webhooks

MAX_WEBHOOKS_PER_GROUP = 10
MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600
UNSET: Any = object()  # "leave this field as it is"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_create(
    *, actor, group_id: int, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    """Register an endpoint for the group's events. Its `secret` is readable on the returned
    instance; the API shows it in this response only."""
    selectors.require_manager(user=actor, group_id=group_id)
    url = _checked_url(url)
    events = _checked_events(events)
    with transaction.atomic():
        selectors.require_manager(user=actor, group_id=group_id)
        if WebhookEndpoint.objects.filter(group_id=group_id).count() >= MAX_WEBHOOKS_PER_GROUP:
            raise Conflict(
                _("A group can have at most %(max)s webhooks.") % {"max": MAX_WEBHOOKS_PER_GROUP}
            )
        return WebhookEndpoint.objects.create(
            group_id=group_id,
            created_by=actor,
            url=url,
            events=events,
            description=description.strip(),
            secret=new_secret(),
        )


def webhook_update(
    *,
    actor,
    webhook_id: int,
    url: str = UNSET,
    events: list[str] = UNSET,
    description: str = UNSET,
    active: bool = UNSET,
) -> WebhookEndpoint:
    """Change the given fields. `active: false` stops deliveries (pending ones are marked
    failed); `active: true` resumes with the events that happen from then on — and if its
    creator can no longer manage the group, the actor becomes its creator."""
    selectors.webhook_for_manager(user=actor, webhook_id=webhook_id)
    if url is not UNSET:
        url = _checked_url(url)
    if events is not UNSET:
        events = _checked_events(events)
    with transaction.atomic():
        endpoint = _locked_for(actor, webhook_id)
        if url is not UNSET:
            endpoint.url = url
        if events is not UNSET:
            endpoint.events = events
        if description is not UNSET:
            endpoint.description = description.strip()
        if active is True and not endpoint.active:
            endpoint.active = True
            endpoint.disabled_at = None
            endpoint.disabled_reason = ""
            if not creator_can_manage(endpoint):
                endpoint.created_by = actor  # from now on it sends on the actor's authority
        endpoint.save()
        if active is False and endpoint.active:
            endpoint_disable(endpoint, reason=f"Disabled by {actor.public_name}.")
        return endpoint


def webhook_delete(*, actor, webhook_id: int) -> None:
    with transaction.atomic():
        _locked_for(actor, webhook_id).delete()


def webhook_rotate_secret(
    *, actor, webhook_id: int, grace_seconds: int = 24 * 3600
) -> WebhookEndpoint:
    """A new secret; the old one keeps signing beside it for `grace_seconds` (0: at once)."""
    if not 0 <= grace_seconds <= MAX_ROTATION_GRACE_SECONDS:
        raise InvalidInput(
            _("Invalid grace period."),
            fields={
                "grace_seconds": [_("0 to %(max)s seconds.") % {"max": MAX_ROTATION_GRACE_SECONDS}]
            },
        )
    with transaction.atomic():
        endpoint = _locked_for(actor, webhook_id)
        endpoint.previous_secret = endpoint.secret if grace_seconds else ""
        endpoint.previous_secret_expires_at = (
            timezone.now() + timedelta(seconds=grace_seconds) if grace_seconds else None
        )
        endpoint.secret = new_secret()
        endpoint.save()
        return endpoint


def webhook_send_test(*, actor, webhook_id: int) -> WebhookDelivery:
    """Queue a `webhook.test` event for the endpoint (after anything already queued)."""
    with transaction.atomic():
        endpoint = _locked_for(actor, webhook_id)
        _require_active(endpoint)
        event = WebhookTest(webhook_id=endpoint.pk, group_id=endpoint.group_id)
        event_id = uuid.uuid4()
        topic = topic_for("group", endpoint.group_id)
        body = dumps(
            {
                "type": "event",
                "topic": topic,
                "seq": None,
                "id": str(event_id),
                "event": event.name,
                "ts": iso_ms(timezone.now()),
                "actor": actor.pk,
                "client_id": None,
                "data": event.data(),
            }
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=event_id, event_name=event.name, topic=topic, body=body
        )
        _kick(endpoint)
        return delivery


def delivery_redeliver(*, actor, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery at the end of the queue with the same
    idempotency id (receivers that already have it ignore it)."""
    with transaction.atomic():
        endpoint = _locked_for(actor, webhook_id)
        _require_active(endpoint)
        original = WebhookDelivery.objects.filter(endpoint=endpoint, pk=delivery_id).first()
        if original is None:
            raise NotFound(_("Delivery not found."))
        if request_body(original) is None:
            raise Conflict(_("The event is no longer in the event log."))
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=original.event_id,
            event_name=original.event_name,
            topic=original.topic,
            seq=original.seq,
            body=original.body,
            redelivery_of=original,
        )
        _kick(endpoint)
        return delivery


def deliveries_prune(*, days: int | None = None) -> int:
    """Remove settled deliveries (delivered or failed) older than WEBHOOK_LOG_RETENTION_DAYS from
    the log, with their attempts; pending ones stay. Returns how many deliveries went."""
    days = settings.WEBHOOK_LOG_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        status=WebhookDelivery.Status.PENDING
    )
    _, deleted = old.delete()
    return deleted.get(WebhookDelivery._meta.label, 0)


# ---------------------------------------------------------------------------- private
def _locked_for(actor, webhook_id: int) -> WebhookEndpoint:
    selectors.webhook_for_manager(user=actor, webhook_id=webhook_id)
    return WebhookEndpoint.objects.select_for_update().get(pk=webhook_id)


def _require_active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.active:
        raise Conflict(_("The webhook is disabled; enable it first."))


def _kick(endpoint: WebhookEndpoint) -> None:
    enqueue(deliver_webhooks, endpoint_id=endpoint.pk)


def _checked_url(url: str) -> str:
    url = (url or "").strip()
    try:
        transport.check_url(url)
    except transport.UnsafeUrl as exc:
        raise InvalidInput(str(exc), fields={"url": [str(exc)]}) from None
    return url


def _checked_events(events: list[str]) -> list[str]:
    names = sorted(set(events))
    allowed = set(selectors.webhook_event_names()) | {selectors.ALL_EVENTS}
    unknown = [name for name in names if name not in allowed]
    if not names or unknown:
        message = (
            _("Unknown event(s): %(names)s.") % {"names": ", ".join(unknown)}
            if unknown
            else _("Choose events.")
        )
        raise InvalidInput(message, fields={"events": [message]})
    return [selectors.ALL_EVENTS] if selectors.ALL_EVENTS in names else names
