"""Who hears about polls outside the app (registered with `planpal.core.notices`): every member
of the poll's group or plan when a poll opens and when it closes. Votes notify nobody."""

from planpal.accounts.selectors import public_name_of
from planpal.core.notices import Notice, register
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


def _notice(event: events.PollData, *, kind: str, title: str, body: str) -> list[Notice]:
    recipients, keys = _audience(event)
    if not recipients:
        return []
    data = {"poll_id": event.id, "group_id": event.group, "plan_id": event.plan}
    return [Notice(kind=kind, recipients=recipients, title=title, body=body, data=data, **keys)]


def poll_created(event: events.PollData, topic: str, actor_id: int | None) -> list[Notice]:
    body = f"{public_name_of(actor_id)} asks"
    return _notice(event, kind="poll.created", title=event.question, body=body)


def _outcome(event: events.PollData) -> str:
    results = event.results.model_dump()
    if event.kind == "dates":
        best = results["ranking"][0] if results["ranking"] else None
        return f"Best dates: {best['first_day']} to {best['last_day']}" if best else "No dates fit."
    top = leaders(results)
    labels = {
        option.id: option.label or f"{option.first_day} to {option.last_day}"
        for option in event.options
    }
    return "Winner: " + ", ".join(labels[pk] for pk in top) if top else "Nobody voted."


def poll_closed(event: events.PollData, topic: str, actor_id: int | None) -> list[Notice]:
    title = f"Poll closed: {event.question}"
    return _notice(event, kind="poll.closed", title=title, body=_outcome(event))


def register_all() -> None:
    for scope in ("group", "plan"):
        register(events.EVENTS[(scope, "created")], poll_created)
        register(events.EVENTS[(scope, "closed")], poll_closed)
