"""Reads of webhooks for the group managers who own them. Anyone else gets NotFound (non-members)
or Forbidden (members who are not owners or admins), as for every group object."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planpal.core.events import EVENT_TYPES
from planpal.core.exceptions import NotFound
from planpal.groups.selectors import MANAGERS, require_role
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint

ALL_EVENTS = "*"
ACTION = gettext_lazy("manage webhooks")


def webhook_event_names() -> list[str]:
    """The names an endpoint may choose: every group.* and plan.* event (or "*")."""
    return sorted(name for name in EVENT_TYPES if name.startswith(("group.", "plan.")))


def require_manager(*, user, group_id: int) -> None:
    require_role(user=user, group_id=group_id, roles=MANAGERS, action=ACTION)


def webhooks_of_group(*, user, group_id: int) -> QuerySet[WebhookEndpoint]:
    require_manager(user=user, group_id=group_id)
    return WebhookEndpoint.objects.filter(group_id=group_id).select_related("created_by")


def webhook_for_manager(*, user, webhook_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_related("created_by").filter(pk=webhook_id).first()
    if endpoint is None:
        raise NotFound(_("Webhook not found."))
    try:
        require_manager(user=user, group_id=endpoint.group_id)
    except NotFound:
        raise NotFound(_("Webhook not found.")) from None
    return endpoint


def deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint)


def delivery_for_manager(*, user, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    endpoint = webhook_for_manager(user=user, webhook_id=webhook_id)
    delivery = deliveries_of(endpoint=endpoint).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("Delivery not found."))
    delivery.endpoint = endpoint
    return delivery
