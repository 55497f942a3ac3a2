"""What the plan and activity services share: limits, transitions, locking, validation and
event helpers."""

import re
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planpal.accounts.models import User
from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.i18n import Text
from planpal.core.validation import in_zone, is_timezone, timezone_error
from planpal.plans.models import Activity, Plan, status_name
from planpal.plans.selectors import can_manage_plan, is_plan_member

Status = Plan.Status

# Limits that keep plans sensible (a typo in a year must not create a 900-year trip).
PLAN_MAX_PAST = timedelta(days=366)  # a plan may start up to a year ago (log a recent trip)
PLAN_MAX_AHEAD = timedelta(days=10 * 366)  # ... and at most ten years ahead
PLAN_MAX_DURATION = timedelta(days=366)
MAX_ACTIVITIES_PER_PLAN = 500

TRANSITIONS = {
    (Status.UPCOMING, Status.ONGOING),
    (Status.ONGOING, Status.COMPLETED),
    (Status.UPCOMING, Status.CANCELLED),
    (Status.ONGOING, Status.CANCELLED),
}
# Not a transition anyone asks for: an ongoing plan whose start is moved into the future goes
# back to upcoming (plan_update), so the sweep starts it again then and its reminders fire.
RESCHEDULED = (Status.ONGOING, Status.UPCOMING)
REASONS = ("manual", "scheduled", "rescheduled")

PLAN_EDITABLE = ("title", "description", "start_at", "end_at", "timezone")
ACTIVITY_EDITABLE = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "location_name",
    "location_address",
    "lat",
    "lng",
    "estimated_cost",
    "currency",
    "notes",
)
CURRENCY_RE = re.compile(r"[A-Z]{3}")

PLAN_NOT_FOUND = gettext_lazy("Plan not found.")
ACTIVITY_NOT_FOUND = gettext_lazy("Activity not found.")


# ---------------------------------------------------------------------------- helpers


def _default_timezone(actor: User) -> str:
    return actor.timezone if is_timezone(actor.timezone) else "UTC"


def _emit(event: DomainEvent, *topics: str, actor, client_id: str | None = None) -> None:
    for topic in topics:
        emit(event, topic=topic, actor=actor, client_id=client_id)


def _plan_topic(plan_id: int) -> str:
    return topic_for("plan", plan_id)


def _list_topic(plan: Plan) -> str:
    """Where a new plan is announced so that lists stay live: its group's topic, or for a
    personal plan its creator's own topic (their other devices). Nobody can follow plan:<id>
    before the plan exists."""
    if plan.group_id is not None:
        return topic_for("group", plan.group_id)
    return topic_for("user", plan.creator_id)


def _locked_plan(*, actor, plan_id: int, not_found: Text = PLAN_NOT_FOUND) -> Plan:
    """The plan, locked for the rest of the transaction; NotFound unless the actor is a member."""
    plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or not is_plan_member(user=actor, plan=plan):
        raise NotFound(not_found)
    return plan


def _locked_activity(*, actor, activity_id: int) -> tuple[Plan, Activity]:
    plan_id = Activity.objects.filter(pk=activity_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise NotFound(_("Activity not found."))
    plan = _locked_plan(actor=actor, plan_id=plan_id, not_found=ACTIVITY_NOT_FOUND)
    # Re-read under the plan lock: it may have been deleted while we waited.
    activity = Activity.objects.filter(pk=activity_id, plan=plan).first()
    if activity is None:
        raise NotFound(_("Activity not found."))
    return plan, activity


def _require_manager(actor, plan: Plan) -> None:
    if not can_manage_plan(actor, plan):
        raise Forbidden(_("Only the plan's creator or the group's owners and admins can do this."))


def _require_open(plan: Plan) -> None:
    if plan.is_closed:
        raise Conflict(
            _("This plan is %(status)s and can no longer be changed.")
            % {"status": status_name(plan.status)},
            code="plan_closed",
        )


def _field_errors(instance, *, exclude: set[str]) -> dict[str, list[str]]:
    """Column-level checks (lengths, choices, blanks, decimal digits) for callers that skip the
    API's serializers, such as tasks and tests."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Some fields are invalid."), fields=errors)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _zone_name(name: str) -> str:
    """A time zone a write names: times without an offset are read in it, so it must be valid
    before anything else is looked at."""
    problem = timezone_error(name) if isinstance(name, str) else _("Not a time zone name.")
    if problem is not None:
        raise InvalidInput(_("Some fields are invalid."), fields={"timezone": [problem]})
    return name


def _moments(values: dict[str, Any], zone_name: str) -> dict[str, Any]:
    """`values` with each naive datetime read as wall-clock time in the plan's zone."""
    return {
        name: in_zone(value, zone_name, field=name) if isinstance(value, datetime) else value
        for name, value in values.items()
    }


def _unknown(changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")


def _require_version(instance: Plan | Activity, version: int | None) -> None:
    """Optimistic concurrency: a write decided on `version` must not overwrite a newer one.
    None (deletes only: no version given) is unconditional."""
    if version is not None and version != instance.version:
        raise VersionConflict(instance)
