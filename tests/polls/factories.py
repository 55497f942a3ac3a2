"""Builders for poll tests: polls go through the polls services."""

from datetime import timedelta

from planpal.polls import services
from planpal.polls.models import Poll


def ask(actor, *, group=None, plan=None, labels=("Porto", "Sintra", "Faro"), **fields) -> Poll:
    """A choice poll through the service."""
    fields.setdefault("options", [{"label": label} for label in labels])
    poll, _ = services.poll_create(
        actor=actor,
        question=fields.pop("question", "Where next?"),
        group_id=group.pk if group else None,
        plan_id=plan.pk if plan else None,
        **fields,
    )
    return poll


def ask_dates(actor, plan, *, days=10, length=3, **fields) -> Poll:
    """A date poll over `days` days starting a week after the plan's start day."""
    first = plan.start_at.date() + timedelta(days=7)
    poll, _ = services.poll_create(
        actor=actor,
        question=fields.pop("question", "When can you go?"),
        plan_id=plan.pk,
        kind="dates",
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        length_days=length,
        **fields,
    )
    return poll


def option_ids(poll: Poll) -> list[int]:
    return list(poll.options.values_list("pk", flat=True))


def poll_url(poll_or_id, suffix: str = "") -> str:
    pk = getattr(poll_or_id, "pk", poll_or_id)
    return f"/api/v1/polls/{pk}{suffix}"


def counts(body: dict) -> list[int]:
    return [row["votes"] for row in body["results"]["options"]]
