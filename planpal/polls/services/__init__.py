"""Every write to polls: create (services/create.py), vote and withdraw (services/votes.py), close,
delete, and turning a winner into the plan's dates or a new activity (services/closing.py); this
package names them all.

Each runs in one transaction that locks the poll's row first (SELECT ... FOR UPDATE), so the
votes of one poll are applied one at a time: the counts an event carries are exactly the counts
after that vote, and events of one poll are in the same order as the votes (the topic's seq
is taken later in the same transaction). Lock order everywhere: plan row (apply only), poll row,
vote rows, then the topic's sequence. A deadlock victim (a vote racing the deletion of its
group or plan) is run again by `retry_transaction`.

Anonymous polls: vote events are emitted with no actor and no client_id, and carry no ballot.
"""

from planpal.polls.services.closing import poll_apply, poll_close, poll_delete, polls_close_due
from planpal.polls.services.common import (
    MAX_DATE_POLL_DAYS,
    MAX_DEADLINE_AHEAD,
    MAX_OPTIONS,
    MAX_POLLS_PER_PLACE,
    MIN_OPTIONS,
)
from planpal.polls.services.create import poll_create
from planpal.polls.services.votes import poll_vote, poll_vote_withdraw

__all__ = [
    "MAX_DATE_POLL_DAYS",
    "MAX_DEADLINE_AHEAD",
    "MAX_OPTIONS",
    "MAX_POLLS_PER_PLACE",
    "MIN_OPTIONS",
    "poll_apply",
    "poll_close",
    "poll_create",
    "poll_delete",
    "poll_vote",
    "poll_vote_withdraw",
    "polls_close_due",
]
