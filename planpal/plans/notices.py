"""Who hears about plan events outside the app (registered with `planpal.core.notices`): the
plan's members (its group's members, or a personal plan's creator and participants)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.selectors import public_name_of
from planpal.core.localtime import local_time_lazy
from planpal.core.notices import Notice, Text, register
from planpal.plans.events import ActivityCompleted, PlanCreated, PlanStatusChanged
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_member_ids

STATUS_TITLES = {
    "ongoing": _("{plan} has started"),
    "completed": _("{plan} is complete"),
    "cancelled": _("{plan} was cancelled"),
}


def _plan_notice(plan_id: int, *, kind: str, title: Text, body: Text, data: dict) -> list[Notice]:
    """A notice to every member of the plan; none if it is gone. `{plan}` in the title is the
    plan's title."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return []
    return [
        Notice(
            kind=kind,
            recipients=plan_member_ids(plan=plan),
            title=format_lazy(title, plan=plan.title),
            body=body,
            data={"plan_id": plan_id, **data},
            group_id=plan.group_id,
            plan_id=plan_id,
        )
    ]


def plan_status_changed(event: PlanStatusChanged, topic: str, actor_id: int | None) -> list:
    if event.reason == "rescheduled":
        return _postponed(event.plan_id)
    title = STATUS_TITLES.get(event.to)
    if title is None:
        return []
    return _plan_notice(
        event.plan_id,
        kind="plan.status_changed",
        title=title,
        body="",
        data={"status": event.to},
    )


def _postponed(plan_id: int) -> list:
    """An ongoing plan moved into the future: it has not started after all."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return []
    return _plan_notice(
        plan_id,
        kind="plan.status_changed",
        title=_("{plan} was postponed"),
        body=format_lazy(
            _("It now starts {time}."), time=local_time_lazy(plan.start_at, plan.timezone)
        ),
        data={"status": plan.status, "starts_at": plan.start_at.isoformat()},
    )


def activity_completed(event: ActivityCompleted, topic: str, actor_id: int | None) -> list:
    return _plan_notice(
        event.plan,
        kind="plan.activity_completed",
        title="{plan}",
        body=format_lazy(
            _("{name} completed {activity}"), name=public_name_of(actor_id), activity=event.title
        ),
        data={"activity_id": event.id},
    )


def plan_created(event: PlanCreated, topic: str, actor_id: int | None) -> list:
    """From the plan's own topic (the group's list topic carries a copy), for group plans: a
    personal plan has nobody else to tell yet."""
    if not topic.startswith("plan:") or event.group is None:
        return []
    body = format_lazy(_("by {name}"), name=public_name_of(actor_id))
    return _plan_notice(
        event.id, kind="plan.created", title=_("New plan: {plan}"), body=body, data={}
    )


def register_all() -> None:
    register(PlanStatusChanged, plan_status_changed)
    register(ActivityCompleted, activity_completed)
    register(PlanCreated, plan_created)
