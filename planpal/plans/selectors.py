"""Reads of plans and activities that carry permission logic. A user who is not a member of a
plan gets NotFound for it and its activities: plan ids do not leak."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from planpal.core.exceptions import NotFound
from planpal.groups.models import Membership
from planpal.groups.selectors import get_membership, is_member, member_ids
from planpal.plans.models import Activity, Plan

MANAGER_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_plan_member(*, user, plan: Plan) -> bool:
    """Members of a group plan are the group's members; of a personal plan, its creator and
    participants."""
    if not _authenticated(user):
        return False
    if plan.group_id is not None:
        return is_member(user_id=user.pk, group_id=plan.group_id)
    return plan.creator_id == user.pk or plan.participants.filter(pk=user.pk).exists()


def can_manage_plan(user, plan: Plan) -> bool:
    """Edit, delete, start/complete/cancel, manage participants: the creator (while still a
    member) or an owner/admin of the plan's group."""
    if not _authenticated(user):
        return False
    if plan.group_id is None:
        return plan.creator_id == user.pk
    membership = get_membership(user=user, group_id=plan.group_id)
    if membership is None:
        return False
    return membership.is_manager or plan.creator_id == user.pk


def manager_group_ids(*, user) -> set[int]:
    """Groups where the user is owner or admin (to compute can_manage for a list in one query)."""
    return set(
        Membership.objects.filter(user=user, role__in=MANAGER_ROLES).values_list(
            "group_id", flat=True
        )
    )


def plan_for_member(*, user, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("creator").filter(pk=plan_id).first()
    if plan is None or not is_plan_member(user=user, plan=plan):
        raise NotFound(_("Plan not found."))
    return plan


def plans_for_user(*, user, status: str | None = None, group_id: int | None = None) -> QuerySet:
    """Plans of the user's groups plus personal plans they created or take part in, with
    `activity_count` annotated, soonest first."""
    if not _authenticated(user):
        return Plan.objects.none()
    personal = Q(group__isnull=True) & (
        Q(creator=user)
        | Q(pk__in=Plan.participants.through.objects.filter(user=user).values("plan_id"))
    )
    in_my_groups = Q(group_id__in=Membership.objects.filter(user=user).values("group_id"))
    plans = Plan.objects.filter(personal | in_my_groups)
    if status is not None:
        plans = plans.filter(status=status)
    if group_id is not None:
        plans = plans.filter(group_id=group_id)
    return (
        plans.select_related("creator")
        .prefetch_related("participants")
        .annotate(activity_count=Count("activities"))
        .order_by("start_at", "id")
    )


def plan_ids_of_group(*, group_id: int) -> list[int]:
    """Every plan of the group: membership of the group is membership of all of them."""
    return list(Plan.objects.filter(group_id=group_id).order_by("id").values_list("id", flat=True))


def plan_member_ids(*, plan: Plan) -> list[int]:
    """Everyone who may see the plan (the audience of its events)."""
    if plan.group_id is not None:
        return member_ids(group_id=plan.group_id)
    participant_ids = plan.participants.values_list("pk", flat=True)
    return [plan.creator_id, *sorted(set(participant_ids) - {plan.creator_id})]


def activities_of(*, plan: Plan) -> QuerySet:
    return Activity.objects.filter(plan=plan).select_related("completed_by")


def activity_for_member(*, user, activity_id: int) -> Activity:
    activity = (
        Activity.objects.select_related("plan", "completed_by").filter(pk=activity_id).first()
    )
    if activity is None or not is_plan_member(user=user, plan=activity.plan):
        raise NotFound(_("Activity not found."))
    return activity
