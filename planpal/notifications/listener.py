"""The notifications app's listener on the event log (`planpal.realtime.fanout`), run after the
write commits: every written event that an app has notice planners for (`planpal.core.notices`)
is read back as its typed event, planned from the copy on its topic, and applied
(`services.notices_apply`) in a transaction of the fan-out, not the write's."""

from planpal.core import notices
from planpal.core.events import EVENT_TYPES
from planpal.notifications.services import notices_apply
from planpal.realtime.fanout import Listener, each_row_alone
from planpal.realtime.models import Event


def wants(name: str, topic: str) -> bool:
    return notices.has_planner(name)


def handle(rows: list[Event]) -> None:
    each_row_alone(rows, apply, "notices")


def apply(row: Event) -> int:
    event = EVENT_TYPES[row.name].model_validate(row.payload)
    planned = notices.planned(event, topic=row.topic, actor_id=row.actor_id)
    return notices_apply(planned, actor_id=row.actor_id, source_event=row.id)


LISTENER = Listener("notifications", wants, handle, after_commit=True)
