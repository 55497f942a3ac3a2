"""An anonymous poll names no voter anywhere: not in the REST API (other than to the voter
themself), the events (payload, actor, client_id), the activity feed, webhooks, or the request
log. The same checks on a named poll find the voter, so the checks can fail."""

import json
import logging

import pytest

from planpal.polls import services
from planpal.realtime.models import Event
from planpal.webhooks.delivery import request_body
from planpal.webhooks.models import WebhookDelivery
from tests.polls.factories import ask, ask_dates, option_ids, poll_url
from tests.webhooks.conftest import make_endpoint

pytestmark = pytest.mark.django_db


def voter_marks(user) -> list[str]:
    """What would give a voter away in a text: them as a user object, their name or username,
    their id as an actor."""
    return [
        f'"id": {user.pk}, "username"',
        user.username,
        user.display_name,
        f'"actor": {user.pk}',
        f"[{user.pk}, null]",  # [actor_id, client_id] of the events channel
    ]


def leaks(text: str, user) -> bool:
    return any(mark in text for mark in voter_marks(user))


@pytest.fixture
def voting(as_, trip, trip_plan, alice, bob, carol, caplog):
    """bob asks the group (and the plan); carol votes, changes and withdraws through the API,
    with a webhook listening to everything and the log recorded."""

    def run(*, anonymous: bool):
        make_endpoint(trip, alice, "https://hooks.example.com/planpal")
        poll = ask(bob, group=trip, anonymous=anonymous)
        dates = ask_dates(bob, trip_plan, anonymous=anonymous)
        porto, sintra, _ = option_ids(poll)
        votes = poll_url(poll, "/votes")
        caplog.set_level(logging.DEBUG)
        caplog.clear()
        carol_api = as_("carol")
        carol_api.put(votes, {"options": [porto]}, format="json")
        carol_api.put(votes, {"options": [sintra]}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
        carol_api.delete(votes)
        carol_api.put(votes, {"options": [porto]}, format="json")
        day = dates.first_day.isoformat()
        carol_api.put(poll_url(dates, "/votes"), {"days": {day: "yes"}}, format="json")
        services.poll_close(actor=bob, poll_id=poll.pk)
        return poll, dates

    return run


def everything_said(as_, trip, trip_plan, poll, dates, caplog) -> dict[str, str]:
    """Every channel, as text, as alice (a member who did not vote) sees it."""
    alice = as_("alice")
    rows = Event.objects.filter(name__contains=".poll_").exclude(name__endswith="_created")
    return {
        "api": json.dumps(
            [
                alice.get(poll_url(poll)).json(),
                alice.get(poll_url(dates)).json(),
                alice.get(poll_url(poll, "/votes")).json(),
                alice.get(f"/api/v1/groups/{trip.pk}/polls").json(),
            ]
        ),
        "events": json.dumps([[r.payload, r.actor_id, r.client_id] for r in rows]),
        "feed": json.dumps(
            [
                alice.get(f"/api/v1/groups/{trip.pk}/events").json(),
                alice.get(f"/api/v1/plans/{trip_plan.pk}/events").json(),
            ]
        ),
        "webhooks": json.dumps(
            [request_body(d) for d in WebhookDelivery.objects.filter(event_name__contains="poll_v")]
        ),
        "logs": "\n".join(
            f"{r.getMessage()} user_id={getattr(r, 'user_id', None)}" for r in caplog.records
        ),
    }


def test_an_anonymous_poll_names_no_voter_anywhere(as_, voting, trip, trip_plan, carol, caplog):
    poll, dates = voting(anonymous=True)
    said = everything_said(as_, trip, trip_plan, poll, dates, caplog)

    assert said["webhooks"].count("poll_voted") >= 3 and "A vote on" in said["feed"]
    for channel, text in said.items():
        assert not leaks(text, carol), channel
        assert f"user_id={carol.pk}" not in text, channel
    voted = Event.objects.filter(name__in=["group.poll_voted", "plan.poll_voted"])
    assert voted.count() == 4 and set(voted.values_list("actor_id", "client_id")) == {(None, None)}
    # The counts are there all the same, and carol still sees her own vote.
    assert as_("alice").get(poll_url(poll)).json()["results"]["voter_count"] == 1
    mine = as_("carol").get(poll_url(poll, "/votes")).json()["results"]
    assert [ballot["user"]["id"] for ballot in mine] == [carol.pk]


def test_the_same_checks_find_the_voter_of_a_named_poll(
    as_, voting, trip, trip_plan, carol, caplog
):
    poll, dates = voting(anonymous=False)
    said = everything_said(as_, trip, trip_plan, poll, dates, caplog)

    for channel in ("api", "events", "feed", "webhooks"):
        assert leaks(said[channel], carol), channel


def test_vote_requests_log_no_user_even_in_named_polls(as_, trip, bob, carol, caplog):
    """The log does not tell named from anonymous polls apart: every vote request is logged
    without its user, so no log line ever needs the poll's kind to be safe."""
    poll = ask(bob, group=trip)
    caplog.set_level(logging.INFO, logger="planpal.access")

    as_("carol").put(poll_url(poll, "/votes"), {"options": option_ids(poll)[:1]}, format="json")
    as_("carol").get(poll_url(poll))

    access = [r for r in caplog.records if r.name == "planpal.access"]
    assert [(r.route, r.user_id) for r in access] == [
        ("api/v1/polls/<id:poll_id>/votes", None),
        ("api/v1/polls/<id:poll_id>", carol.pk),
    ]
