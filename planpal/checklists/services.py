"""Every write to checklists and their items.

Each runs in one transaction that first locks the list's row, so writes to one list (adding,
ticking, reordering) apply one at a time and their events are in the order of the writes. Lock
order: list row, item rows, then the topic's sequence.
"""

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.timezone import now as utc_now
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.checklists import events, selectors
from planpal.checklists.models import Checklist, Item
from planpal.checklists.templates import TEMPLATES
from planpal.core.db import retry_transaction
from planpal.core.events import DomainEvent, emit
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict
from planpal.core.validation import clean_client_id
from planpal.plans.models import Plan, plan_closed_message
from planpal.plans.selectors import is_plan_member

MAX_LISTS_PER_PLAN = 50
MAX_ITEMS_PER_LIST = 300
UNSET: Any = object()


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("Some fields are invalid."), fields={field: [message]})


def _emit(checklist: Checklist, event: DomainEvent, actor, client_id: str | None = None) -> None:
    emit(event, topic=selectors.topic_of(checklist), actor=actor, client_id=client_id)


def _require_open(plan: Plan) -> None:
    if plan.is_closed:
        raise Conflict(plan_closed_message(plan.status), code="plan_closed")


def _locked(*, actor, checklist_id: int) -> Checklist:
    checklist = Checklist.objects.select_for_update().filter(pk=checklist_id).first()
    if checklist is None or not selectors.may_see(user=actor, checklist=checklist):
        raise NotFound(_("Checklist not found."))
    _require_open(checklist.plan)
    return checklist


def _locked_item(*, actor, item_id: int) -> tuple[Checklist, Item]:
    checklist_id = Item.objects.filter(pk=item_id).values_list("checklist_id", flat=True).first()
    if checklist_id is None:
        raise NotFound(_("Item not found."))
    try:
        checklist = _locked(actor=actor, checklist_id=checklist_id)
    except NotFound:
        raise NotFound(_("Item not found.")) from None
    item = Item.objects.select_related("assignee", "done_by").filter(pk=item_id).first()
    if item is None or item.checklist_id != checklist.pk:  # deleted while we waited
        raise NotFound(_("Item not found."))
    return checklist, item


def _text(value: str, field: str = "text") -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise _fail(field, _("This field may not be blank."))
    if len(text) > 200:
        raise _fail(field, _("At most 200 characters."))
    return text


def _assignee(checklist: Checklist, user_id: int | None) -> User | None:
    """Someone who can see the list: a plan member (a personal list: only its owner)."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not selectors.may_see(user=user, checklist=checklist):
        raise _fail("assignee", _("Not a member of this plan."))
    return user


def _item_event(event_class, checklist: Checklist, item: Item, actor, client_id=None) -> None:
    _emit(checklist, event_class.of(item, checklist.plan_id), actor, client_id)


# ---------------------------------------------------------------------------- lists


def checklist_create(
    *,
    actor: User,
    plan_id: int,
    title: str = "",
    personal: bool = False,
    template: str | None = None,
    client_id: str | None = None,
) -> tuple[Checklist, bool]:
    """A shared list on the plan, or (personal=True) the actor's own; optionally seeded with a
    template's items. Idempotent by client_id."""
    client_id = clean_client_id(client_id)
    if template is not None and template not in TEMPLATES:
        raise _fail("template", _("One of: %(names)s.") % {"names": ", ".join(sorted(TEMPLATES))})
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
        if plan is None or not is_plan_member(user=actor, plan=plan):
            raise NotFound(_("Plan not found."))
        if client_id is not None:
            first = Checklist.objects.filter(plan=plan, created_by=actor, client_id=client_id)
            if found := first.first():
                return found, False
        _require_open(plan)
        if Checklist.objects.filter(plan=plan).count() >= MAX_LISTS_PER_PLAN:
            raise InvalidInput(
                _("At most %(max)s lists per plan.") % {"max": MAX_LISTS_PER_PLAN},
                code="too_many",
            )
        default_title, seed = TEMPLATES[template] if template else ("", [])
        checklist = Checklist.objects.create(
            plan=plan,
            title=_text(title or default_title, "title"),
            owner=actor if personal else None,
            created_by=actor,
            client_id=client_id,
        )
        Item.objects.bulk_create(
            Item(checklist=checklist, text=text, position=n, created_by=actor)
            for n, text in enumerate(seed)
        )
        items = list(Item.objects.filter(checklist=checklist))
        _emit(checklist, events.ChecklistCreated.of(checklist, items), actor, client_id)
    return checklist, True


def checklist_rename(*, actor: User, checklist_id: int, title: str) -> Checklist:
    with transaction.atomic():
        checklist = _locked(actor=actor, checklist_id=checklist_id)
        title = _text(title, "title")
        if title != checklist.title:
            checklist.title = title
            checklist.version += 1
            checklist.save(update_fields=["title", "version"])
            event = events.ChecklistRenamed(
                checklist_id=checklist.pk,
                plan_id=checklist.plan_id,
                title=title,
                version=checklist.version,
            )
            _emit(checklist, event, actor)
    return checklist


def checklist_delete(*, actor: User, checklist_id: int) -> None:
    with transaction.atomic():
        checklist = _locked(actor=actor, checklist_id=checklist_id)
        if not selectors.may_delete(user=actor, checklist=checklist):
            raise Forbidden(_("Only the list's creator or the plan's managers can delete it."))
        event = events.ChecklistDeleted(checklist_id=checklist.pk, plan_id=checklist.plan_id)
        _emit(checklist, event, actor)
        checklist.delete()


# ---------------------------------------------------------------------------- items


def item_add(
    *,
    actor: User,
    checklist_id: int,
    text: str,
    assignee_id: int | None = None,
    due_at: datetime | None = None,
    client_id: str | None = None,
) -> tuple[Item, bool]:
    """Add an item at the end of the list. Idempotent by client_id."""
    client_id = clean_client_id(client_id)
    with transaction.atomic():
        checklist = _locked(actor=actor, checklist_id=checklist_id)
        items = Item.objects.filter(checklist=checklist)
        found = items.filter(created_by=actor, client_id=client_id).first() if client_id else None
        if found is not None:
            return found, False
        if items.count() >= MAX_ITEMS_PER_LIST:
            raise InvalidInput(
                _("At most %(max)s items.") % {"max": MAX_ITEMS_PER_LIST}, code="too_many"
            )
        last = items.order_by("-position").values_list("position", flat=True).first()
        item = Item.objects.create(
            checklist=checklist,
            text=_text(text),
            position=0 if last is None else last + 1,
            assignee=_assignee(checklist, assignee_id),
            due_at=due_at,
            created_by=actor,
            client_id=client_id,
        )
        _item_event(events.ItemAdded, checklist, item, actor, client_id)
    return item, True


def item_update(
    *,
    actor: User,
    item_id: int,
    version: int | None = None,
    text: str = UNSET,
    assignee_id: int | None = UNSET,
    due_at: datetime | None = UNSET,
) -> Item:
    """Change the text, assignee or due time. With `version`, a stale write is a 409."""
    with transaction.atomic():
        checklist, item = _locked_item(actor=actor, item_id=item_id)
        if version is not None and version != item.version:
            raise VersionConflict(item)
        changes: dict[str, Any] = {}
        if text is not UNSET:
            changes["text"] = _text(text)
        if assignee_id is not UNSET:
            changes["assignee"] = _assignee(checklist, assignee_id)
        if due_at is not UNSET:
            changes["due_at"] = due_at
        changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(item, name, value)
            item.version += 1
            item.save()
            _item_event(events.ItemUpdated, checklist, item, actor)
    return item


def _set_done(*, actor: User, item_id: int, done: bool) -> Item:
    def write() -> Item:
        with transaction.atomic():
            checklist, item = _locked_item(actor=actor, item_id=item_id)
            if (item.done_at is not None) == done:
                return item  # already so: nothing changes, nothing is announced
            item.done_at, item.done_by = (utc_now(), actor) if done else (None, None)
            item.version += 1
            item.save(update_fields=["done_at", "done_by", "version"])
            event_class = events.ItemTicked if done else events.ItemUnticked
            _item_event(event_class, checklist, item, actor)
            return item

    return retry_transaction(write)


def item_tick(*, actor: User, item_id: int) -> Item:
    """Tick an item (idempotent: ticking a ticked item changes nothing)."""
    return _set_done(actor=actor, item_id=item_id, done=True)


def item_untick(*, actor: User, item_id: int) -> Item:
    return _set_done(actor=actor, item_id=item_id, done=False)


def item_delete(*, actor: User, item_id: int) -> None:
    with transaction.atomic():
        checklist, item = _locked_item(actor=actor, item_id=item_id)
        event = events.ItemDeleted(
            checklist_id=checklist.pk, plan_id=checklist.plan_id, item_id=item.pk
        )
        _emit(checklist, event, actor)
        item.delete()


def items_reorder(*, actor: User, checklist_id: int, order: list[int]) -> list[Item]:
    """`order` lists each item of the list exactly once."""
    with transaction.atomic():
        checklist = _locked(actor=actor, checklist_id=checklist_id)
        items = {item.pk: item for item in Item.objects.filter(checklist=checklist)}
        if Counter(order) != Counter(list(items)):
            raise _fail("order", _("List every item of this list exactly once."))
        moved = []
        for position, pk in enumerate(order):
            if items[pk].position != position:
                items[pk].position = position
                items[pk].version += 1
                moved.append(items[pk])
        if moved:
            Item.objects.bulk_update(moved, ["position", "version"])
            event = events.ItemsReordered(
                checklist_id=checklist.pk,
                plan_id=checklist.plan_id,
                order=list(order),
                versions={pk: items[pk].version for pk in order},
            )
            _emit(checklist, event, actor)
    return [items[pk] for pk in order]
