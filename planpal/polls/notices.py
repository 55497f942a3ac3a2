"""Who hears about polls outside the app (registered with `planpal.core.notices`): every member
of the poll's group or plan when a poll opens and when it closes. Votes notify nobody."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.selectors import public_name_of
from planpal.core.notices import Notice, Text, register
from planpal.groups.selectors import member_ids
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_member_ids
from planpal.polls import events
from planpal.polls.results import leaders


def _audience(event: events.PollData) -> tuple[list[int], dict]:
    """Recipients and the mute keys (group_id / plan_id) of the poll's place."""
    if event.group is not None:
        return member_ids(group_id=event.group), {"group_id": event.group}
    plan = Plan.objects.filter(pk=event.plan).first() if event.plan is not None else None
    if plan is None:
        return [], {}
    return plan_member_ids(plan=plan), {"group_id": plan.group_id, "plan_id": plan.pk}


def _notice(event: events.PollData, *, kind: str, title: Text, body: Text) -> list[Notice]:
    recipients, keys = _audience(event)
    if not recipients:
        return []
    data = {"poll_id": event.id, "group_id": event.group, "plan_id": event.plan}
    return [Notice(kind=kind, recipients=recipients, title=title, body=body, data=data, **keys)]


def poll_created(event: events.PollData, topic: str, actor_id: int | None) -> list[Notice]:
    body = format_lazy(_("{name} asks"), name=public_name_of(actor_id))
    return _notice(event, kind="poll.created", title=event.question, body=body)


def _outcome(event: events.PollData) -> Text:
    results = event.results.model_dump()
    if event.kind == "dates":
        best = results["ranking"][0] if results["ranking"] else None
        if best is None:
            return _("No dates fit.")
        return format_lazy(
            _("Best dates: {first} to {last}"), first=best["first_day"], last=best["last_day"]
        )
    top = leaders(results)
    if not top:
        return _("Nobody voted.")
    labels = {
        option.id: option.label
        or format_lazy(_("{first} to {last}"), first=option.first_day, last=option.last_day)
        for option in event.options
    }
    winners = format_lazy("{}" + ", {}" * (len(top) - 1), *(labels[pk] for pk in top))
    return format_lazy(_("Winner: {options}"), options=winners)


def poll_closed(event: events.PollData, topic: str, actor_id: int | None) -> list[Notice]:
    title = format_lazy(_("Poll closed: {question}"), question=event.question)
    return _notice(event, kind="poll.closed", title=title, body=_outcome(event))


def register_all() -> None:
    for scope in ("group", "plan"):
        register(events.EVENTS[(scope, "created")], poll_created)
        register(events.EVENTS[(scope, "closed")], poll_closed)
