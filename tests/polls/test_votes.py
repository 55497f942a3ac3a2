"""Voting, changing and withdrawing a vote; one event per vote, none for a repeated one; closed
polls take no votes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.polls import services
from planpal.polls.models import Poll, Vote
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.plans.factories import set_status
from tests.polls.factories import ask, ask_dates, counts, option_ids, poll_url

pytestmark = pytest.mark.django_db


def vote(client, poll, **body):
    return client.put(poll_url(poll, "/votes"), body, format="json")


def test_members_vote_and_everyone_sees_the_counts(as_, trip, bob):
    poll = ask(bob, group=trip)
    porto, sintra, _ = option_ids(poll)

    vote(as_("alice"), poll, options=[porto])
    body = vote(as_("carol"), poll, options=[porto]).json()
    assert counts(body) == [2, 0, 0] and body["my_vote"]["options"] == [porto]

    changed = vote(as_("carol"), poll, options=[sintra]).json()
    assert counts(changed) == [1, 1, 0] and changed["results"]["voter_count"] == 2
    assert counts(as_("bob").get(poll_url(poll)).json()) == [1, 1, 0]


def test_the_same_vote_twice_is_one_vote_and_one_event(as_, trip, bob):
    poll = ask(bob, group=trip)
    porto = option_ids(poll)[0]

    for _ in range(3):
        assert vote(as_("alice"), poll, options=[porto]).status_code == 200

    assert Vote.objects.count() == 1
    assert Event.objects.filter(name="group.poll_voted").count() == 1
    assert Poll.objects.get().version == 2


def test_withdrawing_takes_the_vote_back(as_, trip, bob):
    poll = ask(bob, group=trip)
    vote(as_("alice"), poll, options=[option_ids(poll)[0]])

    body = as_("alice").delete(poll_url(poll, "/votes")).json()
    again = as_("alice").delete(poll_url(poll, "/votes"))

    assert counts(body) == [0, 0, 0] and body["my_vote"] == {"options": [], "days": {}}
    assert again.status_code == 200
    assert Event.objects.filter(name="group.poll_vote_withdrawn").count() == 1


def test_single_choice_takes_one_option_and_multiple_several(as_, trip, bob):
    single = ask(bob, group=trip)
    several = ask(bob, group=trip, multiple=True)

    refused = vote(as_("alice"), single, options=option_ids(single)[:2])
    accepted = vote(as_("alice"), several, options=option_ids(several)[:2])

    assert "options" in assert_error(refused, 400)["fields"]
    assert counts(accepted.json()) == [1, 1, 0]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"options": []},
        {"options": [999999]},
        {"options": ["one"]},
        {"options": [0]},
        {"options": [1], "colour": "red"},
        {"options": "1"},
    ],
)
def test_bad_votes_are_refused_and_change_nothing(as_, trip, bob, body):
    poll = ask(bob, group=trip)
    vote(as_("alice"), poll, options=[option_ids(poll)[0]])

    assert_error(as_("alice").put(poll_url(poll, "/votes"), body, format="json"), 400)

    assert counts(as_("alice").get(poll_url(poll)).json()) == [1, 0, 0]
    assert Event.objects.filter(name="group.poll_voted").count() == 1


def test_an_option_of_another_poll_is_not_a_vote(as_, trip, bob):
    poll, other = ask(bob, group=trip), ask(bob, group=trip)

    response = vote(as_("alice"), poll, options=[option_ids(other)[0]])

    assert_error(response, 400)
    assert not Vote.objects.exists()


def test_a_closed_poll_takes_no_vote_change_or_withdrawal(as_, trip, bob):
    poll = ask(bob, group=trip)
    porto, sintra, _ = option_ids(poll)
    vote(as_("alice"), poll, options=[porto])
    services.poll_close(actor=bob, poll_id=poll.pk)

    assert_error(vote(as_("alice"), poll, options=[sintra]), 409, "poll_closed")
    assert_error(vote(as_("carol"), poll, options=[sintra]), 409, "poll_closed")
    assert_error(as_("alice").delete(poll_url(poll, "/votes")), 409, "poll_closed")
    assert counts(as_("alice").get(poll_url(poll)).json()) == [1, 0, 0]


def test_a_poll_past_its_deadline_takes_no_vote(as_, trip, bob):
    poll = ask(bob, group=trip, closes_at=timezone.now() + timedelta(hours=1))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    assert_error(vote(as_("alice"), poll, options=option_ids(poll)[:1]), 409, "poll_closed")
    assert as_("alice").get(poll_url(poll)).json()["closed"] is True


def test_a_cancelled_plans_poll_takes_no_vote(as_, trip_plan, bob):
    poll = ask(bob, plan=trip_plan)
    set_status(trip_plan, "cancelled")

    assert_error(vote(as_("alice"), poll, options=option_ids(poll)[:1]), 409, "plan_closed")


def test_named_ballots_show_who_voted_what(as_, trip, bob, alice):
    poll = ask(bob, group=trip)
    porto = option_ids(poll)[0]
    vote(as_("alice"), poll, options=[porto])

    body = as_("carol").get(poll_url(poll, "/votes")).json()
    detail = as_("carol").get(poll_url(poll)).json()

    expected = [{"user": public(alice), "options": [porto], "days": {}}]
    assert body == {"anonymous": False, "results": expected}
    assert detail["ballots"] == expected


# ---------------------------------------------------------------------------- date polls


def test_date_poll_ranks_the_ranges_most_can_make(as_, trip_plan, bob):
    poll = ask_dates(bob, trip_plan, days=6, length=2)
    d = [(poll.first_day + timedelta(days=n)).isoformat() for n in range(6)]

    vote(as_("alice"), poll, days={d[0]: "yes", d[1]: "yes", d[2]: "yes", d[3]: "no"})
    vote(as_("bob"), poll, days={d[1]: "yes", d[2]: "maybe", d[4]: "yes", d[5]: "yes"})
    body = vote(as_("carol"), poll, days={d[1]: "yes", d[2]: "yes"}).json()

    best = body["results"]["ranking"][0]
    assert (best["first_day"], best["last_day"]) == (d[1], d[2])
    assert (best["available"], best["sure"]) == (3, 2)
    assert body["results"]["days"][1] == {"day": d[1], "yes": 3, "maybe": 0, "no": 0}
    assert body["results"]["days"][3] == {"day": d[3], "yes": 0, "maybe": 0, "no": 1}
    assert body["results"]["voter_count"] == 3
    assert body["my_vote"]["days"] == {d[1]: "yes", d[2]: "yes"}


@pytest.mark.parametrize(
    "days",
    [{"2000-01-01": "yes"}, {"someday": "yes"}, {"{first}": "perhaps"}, {}, {"{first}": 1}],
)
def test_bad_day_marks_are_refused(as_, trip_plan, bob, days):
    poll = ask_dates(bob, trip_plan)
    days = {key.replace("{first}", poll.first_day.isoformat()): v for key, v in days.items()}

    assert_error(vote(as_("alice"), poll, days=days), 400)
    assert not poll.day_marks.exists()


def test_a_date_poll_takes_days_not_options(as_, trip_plan, bob):
    poll = ask_dates(bob, trip_plan)

    assert_error(vote(as_("alice"), poll, options=[1]), 400)
