"""Who hears about checklist events outside the app: an item's new assignee."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.selectors import public_name_of
from planpal.checklists.events import ItemAdded, ItemUpdated
from planpal.core.notices import Notice, register
from planpal.plans.models import Plan


def item_assigned(event: ItemAdded | ItemUpdated, topic: str, actor_id: int | None) -> list:
    """Tell the assignee when someone else gives them an item (on every change while it is
    theirs would be noise: only adds and updates whose assignee is not the actor)."""
    if event.assignee is None or event.assignee.id == actor_id or event.done_at is not None:
        return []
    plan = Plan.objects.filter(pk=event.plan).first()
    if plan is None:
        return []
    return [
        Notice(
            kind="plan.checklist_item_assigned",
            recipients=[event.assignee.id],
            title=format_lazy(
                _("{name} asked you: {item}"), name=public_name_of(actor_id), item=event.text
            ),
            body=plan.title,
            data={"plan_id": plan.pk, "checklist_id": event.checklist, "item_id": event.id},
            group_id=plan.group_id,
            plan_id=plan.pk,
            collapse_key=f"checklist-item:{event.id}",
        )
    ]


def register_all() -> None:
    register(ItemAdded, item_assigned)
    register(ItemUpdated, item_assigned)
