"""Writes to a plan's activities."""

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.exceptions import Conflict, InvalidInput
from planpal.core.validation import clean_client_id
from planpal.plans import events
from planpal.plans.models import Activity, Plan
from planpal.plans.services.common import (
    ACTIVITY_EDITABLE,
    CURRENCY_RE,
    MAX_ACTIVITIES_PER_PLAN,
    Status,
    _emit,
    _field_errors,
    _locked_activity,
    _locked_plan,
    _moments,
    _plan_topic,
    _raise_if,
    _require_open,
    _require_version,
    _strip,
    _unknown,
)

# ---------------------------------------------------------------------------- activity rules


def _activity_errors(activity: Activity) -> dict[str, list[str]]:
    errors = _field_errors(activity, exclude={"plan", "completed_by", "created_by"})
    if activity.lat is not None and not -90 <= activity.lat <= 90:
        errors.setdefault("lat", []).append(_("Latitude must be between -90 and 90."))
    if activity.lng is not None and not -180 <= activity.lng <= 180:
        errors.setdefault("lng", []).append(_("Longitude must be between -180 and 180."))
    if (activity.lat is None) != (activity.lng is None):
        errors.setdefault("lat" if activity.lat is None else "lng", []).append(
            _("Give both lat and lng, or neither.")
        )
    if activity.estimated_cost is not None and activity.estimated_cost < 0:
        errors.setdefault("estimated_cost", []).append(_("The cost cannot be negative."))
    if activity.currency and not CURRENCY_RE.fullmatch(activity.currency):
        errors.setdefault("currency", []).append(_("Use a three-letter ISO 4217 code such as EUR."))
    times_valid = "starts_at" not in errors and "ends_at" not in errors
    if times_valid and activity.ends_at <= activity.starts_at:
        errors["ends_at"] = [_("The activity must end after it starts.")]
    return errors


def _check_activity(plan: Plan, activity: Activity) -> None:
    """Field rules, then the plan's window, then overlaps with the plan's other activities.
    Intervals are half-open: one activity may end exactly when the next starts."""
    _raise_if(_activity_errors(activity))
    if activity.starts_at < plan.start_at or activity.ends_at > plan.end_at:
        raise InvalidInput(
            _("The activity must lie within the plan's dates."),
            code="outside_plan",
            fields={
                "starts_at" if activity.starts_at < plan.start_at else "ends_at": [
                    _("The plan runs from %(start)s to %(end)s.")
                    % {"start": plan.start_at.isoformat(), "end": plan.end_at.isoformat()}
                ]
            },
        )
    other = (
        Activity.objects.filter(
            plan=plan, starts_at__lt=activity.ends_at, ends_at__gt=activity.starts_at
        )
        .exclude(pk=activity.pk)
        .order_by("starts_at", "id")
        .first()
    )
    if other is not None:
        raise InvalidInput(
            _("Overlaps with activity %(id)s (%(title)r, %(start)s to %(end)s).")
            % {
                "id": other.pk,
                "title": other.title,
                "start": other.starts_at.isoformat(),
                "end": other.ends_at.isoformat(),
            },
            code="overlap",
            fields={"conflicting_activity": [str(other.pk)]},
        )


def _normalise_activity_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {name: _strip(value) for name, value in values.items()}
    if isinstance(values.get("currency"), str):
        values["currency"] = values["currency"].upper()
    for name in ("lat", "lng", "estimated_cost"):
        if isinstance(values.get(name), int | float):
            values[name] = Decimal(str(values[name]))
    return values


def _emit_activity(
    event_class: type[events.ActivityEvent], activity: Activity, *, actor, client_id=None
) -> None:
    _emit(event_class.of(activity), _plan_topic(activity.plan_id), actor=actor, client_id=client_id)


# ---------------------------------------------------------------------------- activities


def activity_create(
    *,
    actor: User,
    plan_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    client_id: str | None = None,
    **details: Any,
) -> tuple[Activity, bool]:
    """Any member adds an activity to an open plan, at the end of the plan's order. `details`:
    kind, location_name, location_address, lat, lng, estimated_cost, currency, notes.
    Idempotent by client_id: a retry returns the first activity with created=False and emits
    nothing (the plan's row lock serialises concurrent retries)."""
    _unknown(details, ACTIVITY_EDITABLE)
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        client_id = clean_client_id(client_id)
        if client_id is not None:
            first = Activity.objects.filter(plan=plan, created_by=actor, client_id=client_id)
            if first_activity := first.first():
                return first_activity, False
        _require_open(plan)
        existing = Activity.objects.filter(plan=plan)
        if existing.count() >= MAX_ACTIVITIES_PER_PLAN:
            raise InvalidInput(
                _("A plan can hold at most %(max)s activities.") % {"max": MAX_ACTIVITIES_PER_PLAN},
                code="too_many_activities",
            )
        last = existing.aggregate(last=Max("position"))["last"]
        values = _normalise_activity_values(
            {"title": title, "starts_at": starts_at, "ends_at": ends_at, **details}
        )
        values = _moments(values, plan.timezone)
        activity = Activity(
            plan=plan,
            created_by=actor,
            position=0 if last is None else last + 1,
            client_id=client_id,
            **values,
        )
        _check_activity(plan, activity)
        activity.save()
        _emit_activity(events.ActivityCreated, activity, actor=actor, client_id=client_id)
    return activity, True


def activity_update(*, actor: User, activity_id: int, version: int, **changes: Any) -> Activity:
    """Any member edits an activity of an open plan; `version` must be its current version."""
    _unknown(changes, ACTIVITY_EDITABLE)
    with transaction.atomic():
        plan, activity = _locked_activity(actor=actor, activity_id=activity_id)
        _require_open(plan)
        _require_version(activity, version)
        values = _moments(_normalise_activity_values(changes), plan.timezone)
        changed = {
            name: value for name, value in values.items() if getattr(activity, name) != value
        }
        if not changed:
            return activity
        for name, value in changed.items():
            setattr(activity, name, value)
        _check_activity(plan, activity)
        activity.version += 1
        activity.save()
        _emit_activity(events.ActivityUpdated, activity, actor=actor)
    return activity


def activity_delete(*, actor: User, activity_id: int, version: int | None = None) -> None:
    """Any member deletes an activity of an open plan. With `version`, only if nobody changed it
    since (a stale client must not delete another member's fresh edit)."""
    with transaction.atomic():
        plan, activity = _locked_activity(actor=actor, activity_id=activity_id)
        _require_open(plan)
        _require_version(activity, version)
        event = events.ActivityDeleted(plan_id=plan.pk, activity_id=activity.pk)
        activity.delete()
        _emit(event, _plan_topic(plan.pk), actor=actor)


def _require_not_cancelled(plan: Plan) -> None:
    # Ticking off what was done stays possible after a plan completes (the sweep may complete it
    # a minute after the last activity ends); a cancelled plan is frozen.
    if plan.status == Status.CANCELLED:
        raise Conflict(
            _("This plan is cancelled and can no longer be changed."), code="plan_closed"
        )


def activity_complete(*, actor: User, activity_id: int) -> Activity:
    with transaction.atomic():
        plan, activity = _locked_activity(actor=actor, activity_id=activity_id)
        _require_not_cancelled(plan)
        if activity.completed_at is not None:
            raise Conflict(_("This activity is already completed."), code="already_completed")
        activity.completed_at = utc_now()
        activity.completed_by = actor
        activity.version += 1
        activity.save(update_fields=["completed_at", "completed_by", "version", "updated_at"])
        _emit_activity(events.ActivityCompleted, activity, actor=actor)
    return activity


def activity_reopen(*, actor: User, activity_id: int) -> Activity:
    with transaction.atomic():
        plan, activity = _locked_activity(actor=actor, activity_id=activity_id)
        _require_not_cancelled(plan)
        if activity.completed_at is None:
            raise Conflict(_("This activity is not completed."), code="not_completed")
        activity.completed_at = None
        activity.completed_by = None
        activity.version += 1
        activity.save(update_fields=["completed_at", "completed_by", "version", "updated_at"])
        _emit_activity(events.ActivityReopened, activity, actor=actor)
    return activity


def activities_reorder(*, actor: User, plan_id: int, order: list[int]) -> list[Activity]:
    """Set the plan's activity order. `order` must list each of the plan's activities exactly
    once. Activities whose position changes get a new version."""
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_open(plan)
        activities = {activity.pk: activity for activity in Activity.objects.filter(plan=plan)}
        _check_order(order, set(activities))
        moved = []
        for position, activity_id in enumerate(order):
            activity = activities[activity_id]
            if activity.position != position:
                activity.position = position
                activity.version += 1
                moved.append(activity)
        if moved:
            # updated_at is left alone: it dates the activity's content, and the event (order and
            # versions) is then all a client needs to apply the change.
            Activity.objects.bulk_update(moved, ["position", "version"])
            event = events.ActivitiesReordered(
                plan_id=plan.pk,
                order=list(order),
                versions={pk: activities[pk].version for pk in order},
            )
            _emit(event, _plan_topic(plan.pk), actor=actor)
    return [activities[pk] for pk in order]


def _check_order(order: list[int], activity_ids: set[int]) -> None:
    problems = []
    duplicates = sorted(pk for pk, count in Counter(order).items() if count > 1)
    if duplicates:
        problems.append(f"listed more than once: {duplicates}")
    unknown = sorted(set(order) - activity_ids)
    if unknown:
        problems.append(f"not activities of this plan: {unknown}")
    missing = sorted(activity_ids - set(order))
    if missing:
        problems.append(f"missing: {missing}")
    if problems:
        raise InvalidInput(
            _("The order must list each of the plan's activities exactly once."),
            code="invalid_order",
            fields={"order": problems},
        )
