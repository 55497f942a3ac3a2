"""Services driven by the clock: the plan lifecycle sweep and reminders.

Both are driven by the database, not by timers: each run looks at what is due *now* and acts
through compare-and-set (transitions) or a unique claim (reminders), so a lost, late, duplicated or
concurrent run can neither skip nor repeat anything. Celery beat (or the embedded scheduler) just
calls them every few seconds. All comparisons are in UTC; a plan's `timezone` is how times are
shown in the reminders' texts (`core.localtime`).
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from planpal.core import notices
from planpal.core.db import retry_transaction
from planpal.core.localtime import local_time_lazy
from planpal.core.notices import Text
from planpal.plans.models import Activity, Plan, SentReminder
from planpal.plans.selectors import plan_member_ids
from planpal.plans.services import plan_transition

log = logging.getLogger(__name__)
Status = Plan.Status


def plans_advance_due(*, limit: int = 500) -> int:
    """Start every upcoming plan whose start has passed, then complete every ongoing plan whose
    end has passed (a plan both started and ended while nobody swept goes through both, in
    order). Returns the number of transitions this call made."""
    done = 0
    for from_status, to_status, due_field in (
        (Status.UPCOMING, Status.ONGOING, "start_at"),
        (Status.ONGOING, Status.COMPLETED, "end_at"),
    ):
        due = Plan.objects.filter(status=from_status, **{f"{due_field}__lte": timezone.now()})
        for plan_id in due.order_by(due_field).values_list("pk", flat=True)[:limit]:
            if plan_transition(
                plan_id=plan_id, from_status=from_status, to_status=to_status, reason="scheduled"
            ):
                done += 1
    return done


def _offset_words(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


# Lazy: a reminder is written in each recipient's language (a lazy ngettext with `%` is not).
_offset_label = lazy(_offset_words, str)


def _claim(key: str) -> bool:
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key)
        return True
    except IntegrityError:
        return False


def _notify_members(plan: Plan, *, kind: str, title: Text, body: Text, data: dict) -> int:
    notice = notices.Notice(
        kind=kind,
        recipients=plan_member_ids(plan=plan),
        title=title,
        body=body,
        data=data,
        group_id=plan.group_id,
        plan_id=plan.pk,
    )
    return notices.send([notice])


def plan_reminders_send_due() -> int:
    """For each configured offset (default 24 h and 1 h): remind the members of every upcoming
    plan that starts within the offset. Once per plan, offset and start time: a plan moved later
    is reminded again for its new time. Offsets that had already passed when the plan was created
    are skipped (nobody wants "starts in 24 hours" about a plan starting in two)."""
    return _send_reminders(
        offsets=settings.PLAN_REMINDER_OFFSETS_MINUTES,
        due=lambda now, offset: Plan.objects.filter(
            status=Status.UPCOMING,
            start_at__gt=now,
            start_at__lte=now + offset,
            created_at__lte=F("start_at") - offset,
        ),
        key=lambda plan, minutes: f"plan:{plan.pk}:{minutes}m:{plan.start_at:%Y%m%dT%H%M%S}",
        notify=lambda plan, minutes: _notify_members(
            plan,
            kind="plan.reminder",
            title=format_lazy(
                _("{plan} starts in {offset}"), plan=plan.title, offset=_offset_label(minutes)
            ),
            body=format_lazy(
                _("Starts {time}."), time=local_time_lazy(plan.start_at, plan.timezone)
            ),
            data={
                "plan_id": plan.pk,
                "starts_at": plan.start_at.isoformat(),
                "timezone": plan.timezone,
            },
        ),
    )


def activity_reminders_send_due() -> int:
    """Remind plan members shortly (default 15 min) before an open activity of a live plan."""
    return _send_reminders(
        offsets=settings.ACTIVITY_REMINDER_OFFSETS_MINUTES,
        due=lambda now, offset: Activity.objects.select_related("plan").filter(
            plan__status__in=(Status.UPCOMING, Status.ONGOING),
            completed_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + offset,
            created_at__lte=F("starts_at") - offset,
        ),
        key=lambda activity, minutes: (
            f"activity:{activity.pk}:{minutes}m:{activity.starts_at:%Y%m%dT%H%M%S}"
        ),
        notify=lambda activity, minutes: _notify_members(
            activity.plan,
            kind="plan.activity_reminder",
            title=format_lazy(
                _("{activity} starts in {offset}"),
                activity=activity.title,
                offset=_offset_label(minutes),
            ),
            body=_activity_reminder_body(activity),
            data={
                "plan_id": activity.plan_id,
                "activity_id": activity.pk,
                "starts_at": activity.starts_at.isoformat(),
                "timezone": activity.plan.timezone,
            },
        ),
    )


def _activity_reminder_body(activity: Activity) -> Text:
    when = local_time_lazy(activity.starts_at, activity.plan.timezone)
    if activity.location_name:
        return format_lazy(
            _("{plan} at {place}, {time}."),
            plan=activity.plan.title,
            place=activity.location_name,
            time=when,
        )
    return format_lazy(_("{plan}, {time}."), plan=activity.plan.title, time=when)


def _send_reminders(*, offsets, due, key, notify) -> int:
    """Shortest offset first. Sending one reminder also claims the longer offsets of the same
    object and time, so a sweep that was down never sends "in 1 day" after "in 1 hour"."""
    offsets = sorted(offsets)
    now = timezone.now()
    sent = 0
    for index, minutes in enumerate(offsets):
        # A fixed order makes concurrent runs claim in the same order: they queue, not deadlock.
        for obj in due(now, timedelta(minutes=minutes)).order_by("pk"):
            longer = offsets[index + 1 :]
            sent += retry_transaction(
                partial(_remind_once, obj, minutes, longer, key=key, notify=notify)
            )
    return sent


def _remind_once(obj, minutes: int, longer_offsets, *, key, notify) -> int:
    with transaction.atomic():
        if not _claim(key(obj, minutes)):
            return 0
        for longer in longer_offsets:
            _claim(key(obj, longer))
        return notify(obj, minutes)
