"""What the poll writes share: the limits, the locked poll, who may close it, its events."""

from datetime import timedelta

from django.utils.translation import gettext as _

from planpal.core.events import emit
from planpal.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from planpal.plans.models import plan_closed_message
from planpal.polls import selectors
from planpal.polls.events import EVENTS, Action
from planpal.polls.models import Poll

MIN_OPTIONS, MAX_OPTIONS = 2, 20
MAX_DATE_POLL_DAYS = 92  # a season: more is not one decision
MAX_DEADLINE_AHEAD = timedelta(days=366)
MAX_POLLS_PER_PLACE = 500  # polls in one group or plan


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(_("Some fields are invalid."), fields={field: [message]})


def _emit(poll: Poll, action: Action, actor, *, results=None, ballot=None) -> None:
    """The poll's event on its own topic. Votes of anonymous polls name nobody."""
    event_class = EVENTS[(selectors.scope_of(poll), action)]
    if action in ("created", "closed"):
        event = event_class(**selectors.poll_data(poll, results).model_dump())
    elif action == "deleted":
        event = event_class.model_validate({"poll_id": poll.pk})
    else:
        event = event_class.model_validate(
            {
                "poll_id": poll.pk,
                "question": poll.question,
                "version": poll.version,
                "results": results,
                "ballot": ballot,
            }
        )
    secret = poll.anonymous and action in ("voted", "vote_withdrawn")
    emit(event, topic=selectors.topic_of(poll), actor=None if secret else actor)


def _locked(*, actor, poll_id: int) -> Poll:
    """The poll, locked for the rest of the transaction; NotFound unless the actor may see it."""
    poll = Poll.objects.select_for_update().filter(pk=poll_id).first()
    if poll is None or not selectors.may_see(user=actor, poll=poll):
        raise NotFound(_("Poll not found."))
    return poll


def _require_open(poll: Poll) -> None:
    if selectors.is_closed(poll):
        raise Conflict(_("This poll is closed."), code="poll_closed")
    plan = poll.plan  # None for a group's poll, without a query
    if plan is not None and plan.is_closed:
        raise Conflict(plan_closed_message(plan.status), code="plan_closed")


def _require_closer(actor, poll: Poll) -> None:
    if not selectors.can_close(user=actor, poll=poll):
        raise Forbidden(_("Only the poll's creator or the group's owners and admins can do this."))
