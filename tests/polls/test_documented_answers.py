"""Every answer the poll endpoints give is documented in the OpenAPI schema (the fuzz test found
a withdrawal's 200 documented as a 204, and closed polls' 409s not documented at all)."""

import pytest

from planpal.polls import services
from tests.conftest import assert_error
from tests.plans.factories import set_status
from tests.polls.factories import ask, ask_dates, option_ids, poll_url
from tests.schema import assert_documented

pytestmark = pytest.mark.django_db


def test_withdrawing_a_vote_answers_the_poll_as_documented(as_, trip, bob, alice):
    poll = ask(bob, group=trip)
    services.poll_vote(actor=alice, poll_id=poll.pk, options=option_ids(poll)[:1])

    response = as_("alice").delete(poll_url(poll, "/votes"))

    assert response.status_code == 200 and response.json()["my_vote"] == {"days": {}, "options": []}
    assert_documented(response)


def test_a_closed_polls_refusals_are_documented(as_, trip, bob):
    poll = ask(bob, group=trip)
    services.poll_close(actor=bob, poll_id=poll.pk)
    answers = [
        as_("bob").post(poll_url(poll, "/close")),
        as_("alice").put(poll_url(poll, "/votes"), {"options": option_ids(poll)[:1]}, "json"),
        as_("alice").delete(poll_url(poll, "/votes")),
    ]

    for response in answers:
        assert_error(response, 409, "poll_closed")
        assert_documented(response)


def test_a_closed_plans_poll_refusals_are_documented(as_, trip_plan, bob):
    set_status(trip_plan, "cancelled")

    response = as_("bob").post(
        f"/api/v1/plans/{trip_plan.pk}/polls",
        {"question": "Where?", "options": [{"label": "Porto"}, {"label": "Faro"}]},
        format="json",
    )

    assert_error(response, 409, "plan_closed")
    assert_documented(response)


def test_applying_a_date_poll_nobody_answered_is_documented(as_, trip_plan, bob):
    poll = ask_dates(bob, trip_plan)

    response = as_("bob").post(poll_url(poll, "/apply"), {"to": "plan_dates"}, format="json")

    assert_error(response, 409, "no_winner")
    assert_documented(response)
