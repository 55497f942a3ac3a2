"""Turning an endpoint off: by its managers (services), or because it kept failing (delivery),
which the group's owners and the endpoint's creator are told about."""

from django.db import transaction
from django.utils import timezone

from planpal.core import notices
from planpal.groups.models import Membership
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint

DISABLED_KIND = "webhook.disabled"


def endpoint_disable(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Stop deliveries: the endpoint is inactive and its pending deliveries are failed."""
    now = timezone.now()
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:200]
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason", "updated_at"])
    endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, last_error="webhook disabled"
    )


def webhook_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Called by delivery when an endpoint kept failing past the retry window: stop, and tell
    the group's owners and the endpoint's creator (if still an owner or admin)."""
    with transaction.atomic():
        endpoint_disable(endpoint, reason=reason)
        managers = Membership.objects.filter(group_id=endpoint.group_id)
        recipients = sorted(
            m.user_id
            for m in managers
            if m.role == Membership.Role.OWNER
            or (m.is_manager and m.user_id == endpoint.created_by_id)
        )
        notice = notices.Notice(
            kind=DISABLED_KIND,
            recipients=recipients,
            title="Webhook disabled",
            body=f"Deliveries to {endpoint.url} kept failing, so the webhook was turned off. "
            "Fix the receiver, then enable it again.",
            data={"webhook_id": endpoint.pk, "group_id": endpoint.group_id},
            group_id=endpoint.group_id,
        )
        notices.send([notice])
