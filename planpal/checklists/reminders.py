"""Reminders for checklist items coming due: one notice per item and due time, to whoever the
item is for — its assignee, else a personal list's owner, else every member of the plan. The
claim (plans' SentReminder row) commits with the notices, so overlapping sweeps send once."""

from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.checklists.models import Item
from planpal.checklists.selectors import due_items
from planpal.core import notices
from planpal.core.db import retry_transaction
from planpal.core.localtime import local_time_lazy
from planpal.plans.models import SentReminder
from planpal.plans.selectors import plan_member_ids

LEAD = timedelta(hours=1)


def _recipients(item: Item) -> list[int]:
    if item.assignee_id is not None:
        return [item.assignee_id]
    if item.checklist.owner_id is not None:
        return [item.checklist.owner_id]
    return plan_member_ids(plan=item.checklist.plan)


def _remind(item: Item) -> int:
    due_at = item.due_at
    if due_at is None:  # due_items() selects only items with a due time
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    key=f"checklist-item:{item.pk}:{item.due_at:%Y%m%dT%H%M%S}"
                )
        except IntegrityError:
            return 0
        plan = item.checklist.plan
        notice = notices.Notice(
            kind="plan.checklist_item_due",
            recipients=_recipients(item),
            title=format_lazy(_("Due soon: {item}"), item=item.text),
            body=format_lazy(
                "{plan}, {checklist}: {time}.",
                plan=plan.title,
                checklist=item.checklist.title,
                time=local_time_lazy(due_at, plan.timezone),
            ),
            data={"plan_id": plan.pk, "checklist_id": item.checklist_id, "item_id": item.pk},
            group_id=plan.group_id,
            plan_id=plan.pk,
        )
        return notices.send([notice])


def checklist_reminders_send_due() -> int:
    now = timezone.now()
    return sum(
        retry_transaction(partial(_remind, item))
        for item in due_items(now=now, ahead=LEAD).order_by("pk")
    )
