"""Every write to plans, their participants (services/plans.py) and their activities
(services/activities.py); this package names them all.

Each function authorises, validates, saves and emits its event(s) inside one transaction. Every
write that touches a plan or its activities first locks the plan row (SELECT ... FOR UPDATE), so
writes to one plan run one at a time: two activities cannot both pass the overlap check, and a
manual transition cannot race the scheduled sweep.
"""

from planpal.plans.services.activities import (
    activities_reorder,
    activity_complete,
    activity_create,
    activity_delete,
    activity_reopen,
    activity_update,
)
from planpal.plans.services.common import (
    ACTIVITY_EDITABLE,
    CURRENCY_RE,
    MAX_ACTIVITIES_PER_PLAN,
    PLAN_EDITABLE,
    PLAN_MAX_AHEAD,
    PLAN_MAX_DURATION,
    PLAN_MAX_PAST,
    REASONS,
    RESCHEDULED,
    TRANSITIONS,
    Status,
)
from planpal.plans.services.plans import (
    plan_cancel,
    plan_complete,
    plan_create,
    plan_delete,
    plan_participant_add,
    plan_participant_remove,
    plan_start,
    plan_transition,
    plan_update,
)

__all__ = [
    "ACTIVITY_EDITABLE",
    "CURRENCY_RE",
    "MAX_ACTIVITIES_PER_PLAN",
    "PLAN_EDITABLE",
    "PLAN_MAX_AHEAD",
    "PLAN_MAX_DURATION",
    "PLAN_MAX_PAST",
    "REASONS",
    "RESCHEDULED",
    "TRANSITIONS",
    "Status",
    "activities_reorder",
    "activity_complete",
    "activity_create",
    "activity_delete",
    "activity_reopen",
    "activity_update",
    "plan_cancel",
    "plan_complete",
    "plan_create",
    "plan_delete",
    "plan_participant_add",
    "plan_participant_remove",
    "plan_start",
    "plan_transition",
    "plan_update",
]
