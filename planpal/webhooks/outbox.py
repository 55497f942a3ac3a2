"""The webhook outbox: a receiver of the domain signal that writes one delivery row per
interested endpoint, in the transaction of the change, and starts delivery after commit.

An endpoint of group G receives `group.*` events from `group:G` and `plan.*` events from the
topics of G's plans. (plan.created and plan.deleted are also written to the group's topic for
its plan list; taking plan events only from plan topics sends each change once.)
"""

from planpal.core.background import enqueue
from planpal.core.events import DomainEvent
from planpal.realtime.models import Event
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_for(topic: str, event_name: str) -> list[WebhookEndpoint]:
    prefix, _, pk = topic.partition(":")
    if prefix not in ("group", "plan") or not event_name.startswith(prefix + "."):
        return []
    endpoints = WebhookEndpoint.objects.filter(active=True).only("id", "events")
    if prefix == "group":
        endpoints = endpoints.filter(group_id=int(pk))
    else:
        endpoints = endpoints.filter(group__plans__id=int(pk))
    return [endpoint for endpoint in endpoints if endpoint.wants(event_name)]


def on_domain_event(*, event: DomainEvent, topic: str, **_: object) -> None:
    endpoints = endpoints_for(topic, event.name)
    if not endpoints:
        return
    # The realtime outbox (connected first) has just written this event's row, and holds the
    # topic's sequence lock until commit: the topic's newest row of this name is ours.
    row = (
        Event.objects.filter(topic=topic, name=event.name)
        .order_by("-seq")
        .values("id", "seq")
        .first()
    )
    if row is None:
        return
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event_id=row["id"],
            event_name=event.name,
            topic=topic,
            seq=row["seq"],
        )
        for endpoint in endpoints
    )
    from planpal.webhooks.tasks import deliver_webhooks

    for endpoint in endpoints:
        enqueue(deliver_webhooks, endpoint_id=endpoint.pk)
