"""Every write to plans, their participants and their activities.

Each function authorises, validates, saves and emits its event(s) inside one transaction. Every
write that touches a plan or its activities first locks the plan row (SELECT ... FOR UPDATE), so
writes to one plan run one at a time: two activities cannot both pass the overlap check, and a
manual transition cannot race the scheduled sweep.
"""

import re
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.timezone import now as utc_now

from planpal.accounts.models import User
from planpal.accounts.selectors import are_friends
from planpal.core.events import DomainEvent, emit, topic_for
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.validation import clean_client_id, in_zone, is_timezone, timezone_error
from planpal.groups.selectors import require_membership
from planpal.plans import events
from planpal.plans.models import Activity, Plan
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


def _locked_plan(*, actor, plan_id: int, not_found: str = "Plan not found.") -> Plan:
    """The plan, locked for the rest of the transaction; NotFound unless the actor is a member."""
    plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or not is_plan_member(user=actor, plan=plan):
        raise NotFound(not_found)
    return plan


def _locked_activity(*, actor, activity_id: int) -> tuple[Plan, Activity]:
    plan_id = Activity.objects.filter(pk=activity_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise NotFound("Activity not found.")
    plan = _locked_plan(actor=actor, plan_id=plan_id, not_found="Activity not found.")
    # Re-read under the plan lock: it may have been deleted while we waited.
    activity = Activity.objects.filter(pk=activity_id, plan=plan).first()
    if activity is None:
        raise NotFound("Activity not found.")
    return plan, activity


def _require_manager(actor, plan: Plan) -> None:
    if not can_manage_plan(actor, plan):
        raise Forbidden("Only the plan's creator or the group's owners and admins can do this.")


def _require_open(plan: Plan) -> None:
    if plan.is_closed:
        raise Conflict(
            f"This plan is {plan.status} and can no longer be changed.", code="plan_closed"
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
        raise InvalidInput("Some fields are invalid.", fields=errors)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _zone_name(name: str) -> str:
    """A time zone a write names: times without an offset are read in it, so it must be valid
    before anything else is looked at."""
    problem = timezone_error(name) if isinstance(name, str) else "Not a time zone name."
    if problem is not None:
        raise InvalidInput("Some fields are invalid.", fields={"timezone": [problem]})
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


# ---------------------------------------------------------------------------- plan rules


def _plan_errors(plan: Plan, *, check_dates: bool) -> dict[str, list[str]]:
    errors = _field_errors(plan, exclude={"group", "creator", "participants"})
    timezone_problem = timezone_error(plan.timezone)
    if timezone_problem is not None:
        errors.setdefault("timezone", []).append(timezone_problem)
    if check_dates and not ({"start_at", "end_at"} & set(errors)):
        errors.update(_plan_date_errors(plan.start_at, plan.end_at))
    return errors


def _plan_date_errors(start_at: datetime, end_at: datetime) -> dict[str, list[str]]:
    now = utc_now()
    if end_at <= start_at:
        return {"end_at": ["The plan must end after it starts."]}
    if start_at < now - PLAN_MAX_PAST:
        return {"start_at": ["A plan cannot start more than a year ago."]}
    if start_at > now + PLAN_MAX_AHEAD:
        return {"start_at": ["A plan cannot start more than ten years from now."]}
    if end_at - start_at > PLAN_MAX_DURATION:
        return {"end_at": ["A plan cannot last more than a year."]}
    return {}


def _require_activities_inside(plan: Plan) -> None:
    outside = list(
        Activity.objects.filter(plan=plan)
        .filter(Q(starts_at__lt=plan.start_at) | Q(ends_at__gt=plan.end_at))
        .order_by("starts_at", "id")
        .values_list("id", flat=True)
    )
    if outside:
        raise InvalidInput(
            f"{len(outside)} activit{'y lies' if len(outside) == 1 else 'ies lie'} outside the "
            "new dates; move or delete them first.",
            code="activities_outside",
            fields={"activities": [str(pk) for pk in outside]},
        )


# ---------------------------------------------------------------------------- plans


def plan_create(
    *,
    actor: User,
    title: str,
    start_at: datetime,
    end_at: datetime,
    description: str = "",
    group_id: int | None = None,
    timezone: str | None = None,
) -> Plan:
    """A group plan (the actor must be a member of the group) or, without a group, a personal one.
    The time zone defaults to the actor's; times without an offset are read in it."""
    zone_name = _zone_name(timezone or _default_timezone(actor))
    times = _moments({"start_at": start_at, "end_at": end_at}, zone_name)
    with transaction.atomic():
        if group_id is not None:
            require_membership(user=actor, group_id=group_id)
        plan = Plan(
            title=_strip(title),
            description=_strip(description),
            group_id=group_id,
            creator=actor,
            timezone=zone_name,
            **times,
        )
        _raise_if(_plan_errors(plan, check_dates=True))
        plan.save()
        event = events.PlanCreated.of(plan)
        _emit(event, _list_topic(plan), _plan_topic(plan.pk), actor=actor)
    return plan


def plan_update(*, actor: User, plan_id: int, version: int, **changes: Any) -> Plan:
    """Edit title, description, dates or time zone. `version` must be the plan's current one.
    New dates must keep every activity inside them; times without an offset are read in the
    plan's (new) time zone. An ongoing plan whose start moves into the future is upcoming again
    (`plan.updated`, then `plan.status_changed` with reason "rescheduled")."""
    _unknown(changes, PLAN_EDITABLE)
    if "timezone" in changes:
        _zone_name(changes["timezone"])
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_manager(actor, plan)
        _require_open(plan)
        _require_version(plan, version)
        changes = _moments(changes, changes.get("timezone", plan.timezone))
        changed = {
            name: _strip(value)
            for name, value in changes.items()
            if getattr(plan, name) != _strip(value)
        }
        if not changed:
            return plan
        for name, value in changed.items():
            setattr(plan, name, value)
        dates_changed = bool({"start_at", "end_at"} & set(changed))
        _raise_if(_plan_errors(plan, check_dates=dates_changed))
        if dates_changed:
            _require_activities_inside(plan)
        plan.version += 1
        plan.save()
        _emit(events.PlanUpdated.of(plan), _plan_topic(plan.pk), actor=actor)
        if "start_at" in changed and plan.status == Status.ONGOING and plan.start_at > utc_now():
            plan_transition(
                plan_id=plan.pk,
                from_status=Status.ONGOING,
                to_status=Status.UPCOMING,
                reason="rescheduled",
                actor=actor,
            )
            plan.refresh_from_db()
    return plan


def _require_version(instance: Plan | Activity, version: int | None) -> None:
    """Optimistic concurrency: a write decided on `version` must not overwrite a newer one.
    None (deletes only: no version given) is unconditional."""
    if version is not None and version != instance.version:
        raise VersionConflict(instance)


def plan_delete(*, actor: User, plan_id: int, version: int | None = None) -> None:
    """Delete the plan with its activities. With `version`, only if nobody changed it since."""
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_manager(actor, plan)
        _require_version(plan, version)
        event = events.PlanDeleted(plan_id=plan.pk)
        # Also where lists follow (the group or the creator's topic); it revokes only plan:<id>.
        _emit(event, _list_topic(plan), _plan_topic(plan.pk), actor=actor)
        plan.delete()


def plan_transition(
    *, plan_id: int, from_status: str, to_status: str, reason: str, actor: User | None = None
) -> bool:
    """Move a plan from one status to another with a compare-and-set UPDATE; emit
    `plan.status_changed` only if this call made the change. Returns False, emitting nothing,
    when the plan was not in `from_status` any more (another caller won).

    With reason="scheduled" (the lifecycle sweep) the plan must also be due: started plans must
    have reached start_at, completed ones end_at, so a sweep acting on a stale list of ids cannot
    start a plan whose dates were just moved. reason="rescheduled" is plan_update's ongoing →
    upcoming, for a plan whose start is (still) in the future."""
    rescheduling = reason == "rescheduled" and (from_status, to_status) == RESCHEDULED
    if (from_status, to_status) not in TRANSITIONS and not rescheduling:
        raise Conflict(
            f"A plan cannot go from {from_status} to {to_status}.", code="invalid_transition"
        )
    if reason not in REASONS:
        raise ValueError(f"unknown transition reason {reason!r}")
    with transaction.atomic():
        now = utc_now()
        plans = Plan.objects.filter(pk=plan_id, status=from_status)
        if reason == "scheduled":
            if to_status == Status.ONGOING:
                plans = plans.filter(start_at__lte=now)
            elif to_status == Status.COMPLETED:
                plans = plans.filter(end_at__lte=now)
            else:
                raise ValueError(f"{to_status} is never scheduled")
        elif reason == "rescheduled":
            plans = plans.filter(start_at__gt=now)
        changed = plans.update(
            status=to_status, status_changed_at=now, version=F("version") + 1, updated_at=now
        )
        if not changed:
            return False
        version = Plan.objects.filter(pk=plan_id).values_list("version", flat=True).get()
        event = events.PlanStatusChanged(
            plan_id=plan_id,
            from_status=from_status,
            to=to_status,
            reason=reason,
            status_changed_at=now,
            version=version,
        )
        _emit(event, _plan_topic(plan_id), actor=actor)
    return True


def _plan_transition_manual(*, actor: User, plan_id: int, to_status: str, verb: str) -> Plan:
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_manager(actor, plan)
        if (plan.status, to_status) not in TRANSITIONS:
            raise Conflict(f"A {plan.status} plan cannot be {verb}.", code="invalid_transition")
        # We hold the row lock, so the compare-and-set cannot lose; checked all the same.
        if not plan_transition(
            plan_id=plan.pk,
            from_status=plan.status,
            to_status=to_status,
            reason="manual",
            actor=actor,
        ):
            raise Conflict(f"The plan could not be {verb}; reload it.", code="invalid_transition")
        plan.refresh_from_db()
    return plan


def plan_start(*, actor: User, plan_id: int) -> Plan:
    return _plan_transition_manual(
        actor=actor, plan_id=plan_id, to_status=Status.ONGOING, verb="started"
    )


def plan_complete(*, actor: User, plan_id: int) -> Plan:
    return _plan_transition_manual(
        actor=actor, plan_id=plan_id, to_status=Status.COMPLETED, verb="completed"
    )


def plan_cancel(*, actor: User, plan_id: int) -> Plan:
    return _plan_transition_manual(
        actor=actor, plan_id=plan_id, to_status=Status.CANCELLED, verb="cancelled"
    )


# ---------------------------------------------------------------------------- participants


def _require_personal(plan: Plan) -> None:
    if plan.group_id is not None:
        raise InvalidInput(
            "Members of a group plan are the group's members; add them to the group.",
            code="not_personal_plan",
        )


def plan_participant_add(*, actor: User, plan_id: int, user_id: int) -> User:
    """The creator of a personal plan adds one of their (accepted) friends."""
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_personal(plan)
        if plan.creator_id != actor.pk:
            raise Forbidden("Only the plan's creator can add participants.")
        _require_open(plan)
        if user_id == plan.creator_id or plan.participants.filter(pk=user_id).exists():
            raise Conflict("This user already takes part in the plan.", code="already_participant")
        # An unknown user and a stranger get the same answer: user ids are not probed here.
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not are_friends(actor.pk, user_id):
            raise InvalidInput(
                "You can only add your friends.",
                code="not_friend",
                fields={"user": ["Not a friend."]},
            )
        plan.participants.add(user)
        event = events.PlanMemberJoined.of(plan_id=plan.pk, user=user)
        _emit(event, topic_for("user", user.pk), _plan_topic(plan.pk), actor=actor)
    return user


def plan_participant_remove(*, actor: User, plan_id: int, user_id: int) -> None:
    """The creator removes a participant, or a participant leaves."""
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_personal(plan)
        if user_id == plan.creator_id:
            raise InvalidInput(
                "The creator cannot leave their own plan; delete it instead.",
                code="creator_cannot_leave",
            )
        if not plan.participants.filter(pk=user_id).exists():
            raise NotFound("Participant not found.")
        if actor.pk not in (user_id, plan.creator_id):
            raise Forbidden("Only the plan's creator can remove other participants.")
        plan.participants.remove(user_id)
        # Only on the plan's topic: the event ends the leaver's subscriptions to the topic it is
        # delivered on (PlanMemberLeft.revokes), which must never be their own user topic.
        event = events.PlanMemberLeft(plan_id=plan.pk, user_id=user_id)
        _emit(event, _plan_topic(plan.pk), actor=actor)


# ---------------------------------------------------------------------------- activity rules


def _activity_errors(activity: Activity) -> dict[str, list[str]]:
    errors = _field_errors(activity, exclude={"plan", "completed_by", "created_by"})
    if activity.lat is not None and not -90 <= activity.lat <= 90:
        errors.setdefault("lat", []).append("Latitude must be between -90 and 90.")
    if activity.lng is not None and not -180 <= activity.lng <= 180:
        errors.setdefault("lng", []).append("Longitude must be between -180 and 180.")
    if (activity.lat is None) != (activity.lng is None):
        errors.setdefault("lat" if activity.lat is None else "lng", []).append(
            "Give both lat and lng, or neither."
        )
    if activity.estimated_cost is not None and activity.estimated_cost < 0:
        errors.setdefault("estimated_cost", []).append("The cost cannot be negative.")
    if activity.currency and not CURRENCY_RE.fullmatch(activity.currency):
        errors.setdefault("currency", []).append("Use a three-letter ISO 4217 code such as EUR.")
    times_valid = "starts_at" not in errors and "ends_at" not in errors
    if times_valid and activity.ends_at <= activity.starts_at:
        errors["ends_at"] = ["The activity must end after it starts."]
    return errors


def _check_activity(plan: Plan, activity: Activity) -> None:
    """Field rules, then the plan's window, then overlaps with the plan's other activities.
    Intervals are half-open: one activity may end exactly when the next starts."""
    _raise_if(_activity_errors(activity))
    if activity.starts_at < plan.start_at or activity.ends_at > plan.end_at:
        raise InvalidInput(
            "The activity must lie within the plan's dates.",
            code="outside_plan",
            fields={
                "starts_at" if activity.starts_at < plan.start_at else "ends_at": [
                    f"The plan runs from {plan.start_at.isoformat()} to {plan.end_at.isoformat()}."
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
            f"Overlaps with activity {other.pk} ({other.title!r}, "
            f"{other.starts_at.isoformat()} to {other.ends_at.isoformat()}).",
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
                f"A plan can hold at most {MAX_ACTIVITIES_PER_PLAN} activities.",
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
        raise Conflict("This plan is cancelled and can no longer be changed.", code="plan_closed")


def activity_complete(*, actor: User, activity_id: int) -> Activity:
    with transaction.atomic():
        plan, activity = _locked_activity(actor=actor, activity_id=activity_id)
        _require_not_cancelled(plan)
        if activity.completed_at is not None:
            raise Conflict("This activity is already completed.", code="already_completed")
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
            raise Conflict("This activity is not completed.", code="not_completed")
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
            "The order must list each of the plan's activities exactly once.",
            code="invalid_order",
            fields={"order": problems},
        )
