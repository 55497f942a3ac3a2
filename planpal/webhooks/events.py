"""What webhook endpoints receive.

Every delivery is one event of the event log, in the envelope WebSocket and SSE subscribers
get (`planpal.realtime.frames.event_frame`): an endpoint of a group receives the `group.*`
events of `group:<id>` and the `plan.*` events of its plans' `plan:<id>` topics that it chose.
The one event of its own is the test event below, which is never written to the log.
"""

from typing import ClassVar

from planpal.core.events import DomainEvent


class WebhookTest(DomainEvent):
    """Sent by "send test event"; its envelope has `seq: null` (it belongs to no topic's log)."""

    name: ClassVar[str] = "webhook.test"
    webhook_id: int
    group_id: int
    message: str = "This is a test event from PlanPal."
