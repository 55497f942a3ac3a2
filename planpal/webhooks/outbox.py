"""The webhook outbox: a listener on the event log (`planpal.realtime.fanout`) that writes one
delivery row per interested endpoint for each event row it is handed, and starts delivery after
commit.

An endpoint of group G receives `group.*` events from `group:G` and `plan.*` events from the
topics of G's plans. (plan.created and plan.deleted are also written to the group's topic for
its plan list; taking plan events only from plan topics sends each change once.)
"""

from planpal.core.background import enqueue
from planpal.realtime.fanout import Listener
from planpal.realtime.models import Event
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint
from planpal.webhooks.tasks import deliver_webhooks


def wants(name: str, topic: str) -> bool:
    prefix = topic.partition(":")[0]
    return prefix in ("group", "plan") and name.startswith(prefix + ".")


def endpoints_for(topic: str, event_name: str) -> list[WebhookEndpoint]:
    prefix, _, pk = topic.partition(":")
    if not wants(event_name, topic):
        return []
    endpoints = WebhookEndpoint.objects.filter(active=True).only("id", "events")
    if prefix == "group":
        endpoints = endpoints.filter(group_id=int(pk))
    else:
        endpoints = endpoints.filter(group__plans__id=int(pk))
    return [endpoint for endpoint in endpoints if endpoint.wants(event_name)]


def handle(rows: list[Event]) -> None:
    """Deliveries of the rows, in their order (delivery ids follow it: the send order)."""
    deliveries = [
        WebhookDelivery(
            endpoint=endpoint, event_id=row.id, event_name=row.name, topic=row.topic, seq=row.seq
        )
        for row in rows
        for endpoint in endpoints_for(row.topic, row.name)
    ]
    if not deliveries:
        return
    WebhookDelivery.objects.bulk_create(deliveries)
    for endpoint_id in sorted({delivery.endpoint_id for delivery in deliveries}):
        enqueue(deliver_webhooks, endpoint_id=endpoint_id)


LISTENER = Listener("webhooks", wants, handle)
