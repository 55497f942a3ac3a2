"""Writes to plans and their participants."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planpal.accounts.models import User
from planpal.accounts.selectors import are_friends
from planpal.core.events import topic_for
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from planpal.core.validation import timezone_error
from planpal.groups.selectors import require_membership
from planpal.plans import events
from planpal.plans.models import Activity, Plan, status_name
from planpal.plans.services.common import (
    PLAN_EDITABLE,
    PLAN_MAX_AHEAD,
    PLAN_MAX_DURATION,
    PLAN_MAX_PAST,
    REASONS,
    RESCHEDULED,
    TRANSITIONS,
    Status,
    _default_timezone,
    _emit,
    _field_errors,
    _list_topic,
    _locked_plan,
    _moments,
    _plan_topic,
    _raise_if,
    _require_manager,
    _require_open,
    _require_version,
    _strip,
    _unknown,
    _zone_name,
)

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
        return {"end_at": [_("The plan must end after it starts.")]}
    if start_at < now - PLAN_MAX_PAST:
        return {"start_at": [_("A plan cannot start more than a year ago.")]}
    if start_at > now + PLAN_MAX_AHEAD:
        return {"start_at": [_("A plan cannot start more than ten years from now.")]}
    if end_at - start_at > PLAN_MAX_DURATION:
        return {"end_at": [_("A plan cannot last more than a year.")]}
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
            ngettext(
                "%(count)d activity lies outside the new dates; move or delete it first.",
                "%(count)d activities lie outside the new dates; move or delete them first.",
                len(outside),
            )
            % {"count": len(outside)},
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
            _("A plan cannot go from %(from)s to %(to)s.")
            % {"from": status_name(from_status), "to": status_name(to_status)},
            code="invalid_transition",
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
            raise Conflict(
                _("A plan that is %(status)s cannot be %(done)s.")
                % {"status": status_name(plan.status), "done": status_name(verb)},
                code="invalid_transition",
            )
        # We hold the row lock, so the compare-and-set cannot lose; checked all the same.
        if not plan_transition(
            plan_id=plan.pk,
            from_status=plan.status,
            to_status=to_status,
            reason="manual",
            actor=actor,
        ):
            raise Conflict(
                _("The plan could not be %(done)s; reload it.") % {"done": status_name(verb)},
                code="invalid_transition",
            )
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
            _("Members of a group plan are the group's members; add them to the group."),
            code="not_personal_plan",
        )


def plan_participant_add(*, actor: User, plan_id: int, user_id: int) -> User:
    """The creator of a personal plan adds one of their (accepted) friends."""
    with transaction.atomic():
        plan = _locked_plan(actor=actor, plan_id=plan_id)
        _require_personal(plan)
        if plan.creator_id != actor.pk:
            raise Forbidden(_("Only the plan's creator can add participants."))
        _require_open(plan)
        if user_id == plan.creator_id or plan.participants.filter(pk=user_id).exists():
            raise Conflict(
                _("This user already takes part in the plan."), code="already_participant"
            )
        # An unknown user and a stranger get the same answer: user ids are not probed here.
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None or not are_friends(actor.pk, user_id):
            raise InvalidInput(
                _("You can only add your friends."),
                code="not_friend",
                fields={"user": [_("Not a friend.")]},
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
                _("The creator cannot leave their own plan; delete it instead."),
                code="creator_cannot_leave",
            )
        if not plan.participants.filter(pk=user_id).exists():
            raise NotFound(_("Participant not found."))
        if actor.pk not in (user_id, plan.creator_id):
            raise Forbidden(_("Only the plan's creator can remove other participants."))
        plan.participants.remove(user_id)
        # Only on the plan's topic: the event ends the leaver's subscriptions to the topic it is
        # delivered on (PlanMemberLeft.revokes), which must never be their own user topic.
        event = events.PlanMemberLeft(plan_id=plan.pk, user_id=user_id)
        _emit(event, _plan_topic(plan.pk), actor=actor)
