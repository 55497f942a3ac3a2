"""The notifications app's listener on the event log (`planpal.realtime.fanout`), run after the
write commits: every written event that an app has notice planners for (`planpal.core.notices`)
is read back as its typed event, planned from the copy on its topic, and applied
(`services.notices_apply`) in a transaction of the fan-out, not the write's."""

import logging

from django.db import IntegrityError, transaction

from planpal.core import notices
from planpal.core.db import is_database_unavailable, is_transient_conflict
from planpal.core.events import EVENT_TYPES
from planpal.notifications.services import notices_apply
from planpal.realtime.fanout import Listener
from planpal.realtime.models import Event

log = logging.getLogger(__name__)


def wants(name: str, topic: str) -> bool:
    return notices.has_planner(name)


def handle(rows: list[Event]) -> None:
    for row in rows:
        try:
            with transaction.atomic():  # one event that cannot be applied holds up no other
                apply(row)
        except IntegrityError:
            # The (source event, user) constraint: these people were told of it already.
            log.warning("notices of event %s (%s) were applied already", row.id, row.name)
        except Exception as exc:
            if is_transient_conflict(exc) or is_database_unavailable(exc):
                raise  # the whole batch is retried (a deadlock victim lost all of it)
            log.exception("notices of event %s (%s) could not be applied", row.id, row.name)


def apply(row: Event) -> int:
    event = EVENT_TYPES[row.name].model_validate(row.payload)
    planned = notices.planned(event, topic=row.topic, actor_id=row.actor_id)
    return notices_apply(planned, actor_id=row.actor_id, source_event=row.id)


LISTENER = Listener("notifications", wants, handle, after_commit=True)
