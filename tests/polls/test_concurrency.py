"""Many members voting on one poll at the same moment, each on their own connection: exact
counts, one event per vote, and the last event's counts are the final ones. Meaningful on
MariaDB/MySQL (row locks); on SQLite writers simply queue up."""

import pytest

from planpal.polls import services
from planpal.polls.models import Vote
from planpal.realtime.models import Event
from tests.chat.test_concurrency import run_together
from tests.conftest import make_user
from tests.factories import make_group
from tests.polls.factories import ask, option_ids

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 30


def test_simultaneous_votes_are_all_counted_once(alice):
    voters = [make_user(f"voter{n}") for n in range(VOTERS)]
    group = make_group("Crowd", owner=alice, members=voters)
    poll = ask(alice, group=group, multiple=True)
    porto, sintra, faro = option_ids(poll)

    def vote(n, user):
        choice = [[porto], [sintra], [porto, faro]][n % 3]
        return lambda: services.poll_vote(actor=user, poll_id=poll.pk, options=choice).pk

    # Each voter votes twice at once (a double tap): the second is a repeat, not a second vote.
    jobs = [vote(n, user) for n, user in enumerate(voters)] * 2
    results = run_together(*jobs)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Vote.objects.filter(option_id=porto).count() == 20
    assert Vote.objects.filter(option_id=sintra).count() == 10
    assert Vote.objects.filter(option_id=faro).count() == 10
    voted = list(Event.objects.filter(name="group.poll_voted").order_by("seq"))
    assert len(voted) == VOTERS
    assert [e.payload["version"] for e in voted] == list(range(2, VOTERS + 2))
    last = voted[-1].payload["results"]
    assert [o["votes"] for o in last["options"]] == [20, 10, 10]
    assert last["voter_count"] == VOTERS
