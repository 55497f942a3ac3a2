"""Reads of checklists with their permission logic: a shared list is seen by the plan's members,
a personal list only by its owner (a member of the plan); anyone else gets NotFound."""

from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from planpal.checklists.events import ChecklistData
from planpal.checklists.models import Checklist, Item
from planpal.core.events import topic_for
from planpal.core.exceptions import NotFound
from planpal.plans.selectors import can_manage_plan, is_plan_member, plan_for_member


def topic_of(checklist: Checklist) -> str:
    """Where the list's events go: the plan's topic, or a personal list's owner's own topic."""
    if checklist.owner_id is not None:
        return topic_for("user", checklist.owner_id)
    return topic_for("plan", checklist.plan_id)


def may_see(*, user, checklist: Checklist) -> bool:
    if checklist.owner_id is not None and checklist.owner_id != user.pk:
        return False
    return is_plan_member(user=user, plan=checklist.plan)


def may_delete(*, user, checklist: Checklist) -> bool:
    """A personal list: its owner. A shared list: its creator or whoever manages the plan."""
    if checklist.owner_id is not None:
        return checklist.owner_id == user.pk
    return checklist.created_by_id == user.pk or can_manage_plan(user, checklist.plan)


def _items():
    return Item.objects.select_related("assignee", "done_by")


def checklist_for_member(*, user, checklist_id: int) -> Checklist:
    checklist = Checklist.objects.select_related("plan").filter(pk=checklist_id).first()
    if checklist is None or not getattr(user, "is_authenticated", False):
        raise NotFound(_("Checklist not found."))
    if not may_see(user=user, checklist=checklist):
        raise NotFound(_("Checklist not found."))
    return checklist


def checklists_of_plan(*, user, plan_id: int) -> list[Checklist]:
    """The plan's shared lists and the user's own personal one(s), oldest first."""
    plan_for_member(user=user, plan_id=plan_id)
    return list(
        Checklist.objects.filter(Q(owner__isnull=True) | Q(owner=user), plan_id=plan_id)
        .select_related("created_by")
        .prefetch_related(Prefetch("items", queryset=_items()))
    )


def checklist_data(checklist: Checklist) -> dict[str, Any]:
    """The list with its items, as REST returns it and plan.checklist_created carries it."""
    items = _items().filter(checklist=checklist)
    if hasattr(checklist, "_prefetched_objects_cache") and "items" in (
        checklist._prefetched_objects_cache
    ):
        items = checklist.items.all()
    return ChecklistData.of(checklist, items).model_dump(mode="json")


def due_items(*, now, ahead):
    """Open items due within `ahead` of a plan that is not over, with a list and plan loaded."""
    return Item.objects.select_related("checklist__plan").filter(
        done_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + ahead,
        checklist__plan__status__in=("upcoming", "ongoing"),
    )
