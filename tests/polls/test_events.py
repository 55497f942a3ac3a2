"""Poll events: the events of a topic keep a stale copy of a poll in sync; each is a typed event
whose payload round-trips; names carry the scope of the poll's place."""

from datetime import timedelta

import pytest

from planpal.core.events import EVENT_TYPES
from planpal.polls import services
from planpal.realtime.models import Event
from tests.polls.factories import ask, ask_dates, option_ids, poll_url

pytestmark = pytest.mark.django_db

SHARED = ("results", "version", "closed_at", "closed_by", "options", "question")


def apply(poll: dict, name: str, data: dict, viewer_id: int) -> None:
    """What a client does with a poll event to its copy of GET polls/{id}."""
    action = name.partition(".poll_")[2]
    if data.get("poll_id", data.get("id")) != poll["id"] or data["version"] <= poll["version"]:
        return
    if action == "closed":
        poll.update({key: data[key] for key in SHARED})
        poll["closed"] = True
        return
    poll.update(results=data["results"], version=data["version"])
    ballot = data["ballot"]
    if ballot is not None:
        poll["ballots"] = [b for b in poll["ballots"] if b["user"]["id"] != ballot["user"]["id"]]
        if ballot["options"] or ballot["days"]:
            poll["ballots"] = sorted([*poll["ballots"], ballot], key=lambda b: b["user"]["id"])
        if ballot["user"]["id"] == viewer_id:
            poll["my_vote"] = {"options": ballot["options"], "days": ballot["days"]}


@pytest.mark.parametrize("anonymous", [False, True])
def test_events_keep_a_stale_copy_in_sync(as_, trip, trip_plan, alice, bob, carol, anonymous):
    poll = ask(bob, plan=trip_plan, multiple=True, anonymous=anonymous)
    dates = ask_dates(alice, trip_plan, anonymous=anonymous)
    porto, sintra, faro = option_ids(poll)
    stale = {p.pk: as_("carol").get(poll_url(p)).json() for p in (poll, dates)}
    since = stale[poll.pk]["stream"]["seq"]
    first = dates.first_day

    services.poll_vote(actor=alice, poll_id=poll.pk, options=[porto, sintra])
    services.poll_vote(actor=carol, poll_id=poll.pk, options=[faro])
    services.poll_vote(actor=bob, poll_id=poll.pk, options=[porto])
    services.poll_vote(actor=alice, poll_id=poll.pk, options=[sintra])
    services.poll_vote_withdraw(actor=bob, poll_id=poll.pk)
    services.poll_vote(actor=bob, poll_id=dates.pk, days={first: "yes", first + timedelta(1): "no"})
    services.poll_vote(actor=carol, poll_id=dates.pk, days={first: "maybe"})
    services.poll_close(actor=bob, poll_id=poll.pk)

    rows = Event.objects.filter(topic=f"plan:{trip_plan.pk}", seq__gt=since).order_by("seq")
    for row in rows:
        for copy in stale.values():
            apply(copy, row.name, row.payload, carol.pk)
    for pk, copy in stale.items():
        fresh = as_("carol").get(poll_url(pk)).json()
        copy.pop("stream"), fresh.pop("stream")
        if anonymous:  # no event says who voted: a voter's own client has its PUT's answer
            copy.pop("my_vote"), fresh.pop("my_vote")
        assert copy == fresh
    assert rows.count() == 8


def test_every_vote_is_one_event_in_vote_order(trip, alice, bob, carol):
    poll = ask(bob, group=trip)
    porto, sintra, _ = option_ids(poll)

    for actor, option in ((alice, porto), (carol, sintra), (bob, porto), (carol, porto)):
        services.poll_vote(actor=actor, poll_id=poll.pk, options=[option])

    rows = list(Event.objects.filter(name="group.poll_voted").order_by("seq"))
    assert [row.payload["version"] for row in rows] == [2, 3, 4, 5]
    assert [r.payload["results"]["options"][0]["votes"] for r in rows] == [1, 1, 2, 3]
    assert [row.actor_id for row in rows] == [alice.pk, carol.pk, bob.pk, carol.pk]


def test_payloads_are_typed_and_round_trip(trip, trip_plan, alice, bob):
    group_poll = ask(bob, group=trip)
    plan_poll = ask_dates(bob, trip_plan)
    services.poll_vote(actor=alice, poll_id=group_poll.pk, options=option_ids(group_poll)[:1])
    services.poll_vote(actor=alice, poll_id=plan_poll.pk, days={plan_poll.first_day: "yes"})
    services.poll_close(actor=bob, poll_id=plan_poll.pk)
    services.poll_delete(actor=bob, poll_id=group_poll.pk)

    rows = Event.objects.filter(name__contains=".poll_")
    assert {row.name for row in rows} == {
        "group.poll_created",
        "group.poll_voted",
        "group.poll_deleted",
        "plan.poll_created",
        "plan.poll_voted",
        "plan.poll_closed",
    }
    for row in rows:
        assert row.topic.partition(":")[0] == row.name.partition(".")[0]
        assert EVENT_TYPES[row.name].model_validate(row.payload).data() == row.payload
