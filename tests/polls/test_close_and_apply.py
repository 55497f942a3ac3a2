"""Closing a poll (early, or at its deadline) and turning its winner into the plan's dates or a
new activity: who may, what happens after, what the members are told."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from planpal.notifications.models import Notification
from planpal.plans.models import Activity
from planpal.polls import services
from planpal.polls.models import Poll
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.plans.factories import make_plan
from tests.polls.factories import ask, ask_dates, option_ids, poll_url

pytestmark = pytest.mark.django_db


def test_the_creator_or_an_admin_closes_but_not_another_member(as_, trip, bob, alice):
    poll = ask(bob, group=trip)
    other = ask(alice, group=trip)

    assert_error(as_("bob").post(poll_url(other, "/close")), 403, "forbidden")
    closed = as_("bob").post(poll_url(poll, "/close"))
    by_admin = as_("carol").post(poll_url(other, "/close"))

    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert closed.json()["closed_by"] == public(bob)
    assert by_admin.status_code == 200
    assert_error(as_("bob").post(poll_url(poll, "/close")), 409, "poll_closed")


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_members_are_told_when_a_poll_opens_and_closes(trip, alice, bob, carol):
    poll = ask(bob, group=trip, question="Porto or Sintra?")
    services.poll_vote(actor=alice, poll_id=poll.pk, options=option_ids(poll)[1:2])
    services.poll_close(actor=bob, poll_id=poll.pk)

    told = Notification.objects.filter(user=carol).order_by("id")
    assert [(n.kind, n.title, n.body) for n in told] == [
        ("poll.created", "Porto or Sintra?", "Bob asks"),
        ("poll.closed", "Poll closed: Porto or Sintra?", "Winner: Sintra"),
    ]
    assert not Notification.objects.filter(user=bob).exists()  # the actor is not told


def test_the_deadline_sweep_closes_due_polls_once(trip, bob):
    poll = ask(bob, group=trip, closes_at=timezone.now() + timedelta(hours=1))
    ask(bob, group=trip, closes_at=timezone.now() + timedelta(hours=5))
    later = timezone.now() + timedelta(hours=2)

    assert services.polls_close_due(now=later) == 1
    assert services.polls_close_due(now=later) == 0

    poll.refresh_from_db()
    assert poll.closed_at == poll.closes_at and poll.closed_by is None
    closed = Event.objects.get(name="group.poll_closed")
    assert closed.actor_id is None and closed.payload["closed_at"] is not None


def test_a_date_polls_best_range_becomes_the_plans_dates(as_, trip_plan, alice, bob, carol):
    poll = ask_dates(bob, trip_plan, days=5, length=2)
    day = [poll.first_day + timedelta(days=n) for n in range(5)]
    for user in (alice, bob, carol):
        services.poll_vote(actor=user, poll_id=poll.pk, days={day[2]: "yes", day[3]: "yes"})

    response = as_("bob").post(poll_url(poll, "/apply"), {"to": "plan_dates"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["closed"] is True
    trip_plan.refresh_from_db()
    lisbon = ZoneInfo(trip_plan.timezone)
    assert trip_plan.start_at == datetime.combine(day[2], datetime.min.time(), lisbon)
    assert trip_plan.end_at == datetime.combine(day[4], datetime.min.time(), lisbon)
    names = [e.name for e in Event.objects.filter(topic=f"plan:{trip_plan.pk}").order_by("seq")]
    assert names[-2:] == ["plan.poll_closed", "plan.updated"]


def test_a_winning_date_option_becomes_the_plans_dates(as_, trip_plan, alice, bob):
    start = trip_plan.start_at.date() + timedelta(days=30)
    options = [
        {"kind": "dates", "first_day": start, "last_day": start + timedelta(days=2)},
        {"kind": "dates", "first_day": start + timedelta(days=7), "last_day": start + timedelta(9)},
    ]
    poll = ask(bob, plan=trip_plan, options=options)
    services.poll_vote(actor=alice, poll_id=poll.pk, options=option_ids(poll)[1:])

    response = as_("bob").post(poll_url(poll, "/apply"), {"to": "plan_dates"}, format="json")

    assert response.status_code == 200, response.content
    trip_plan.refresh_from_db()
    assert trip_plan.start_at.astimezone(ZoneInfo(trip_plan.timezone)).date() == start + timedelta(
        7
    )


def test_a_winning_place_becomes_an_activity(as_, trip_plan, alice, bob):
    options = [{"kind": "place", "label": "Pena Palace", "lat": 38.7876, "lng": -9.3906}]
    poll = ask(bob, plan=trip_plan, options=[*options, {"label": "Beach"}])
    services.poll_vote(actor=alice, poll_id=poll.pk, options=option_ids(poll)[:1])
    starts = trip_plan.start_at + timedelta(hours=2)
    body = {"to": "activity", "starts_at": starts, "ends_at": starts + timedelta(hours=3)}

    response = as_("bob").post(poll_url(poll, "/apply"), body, format="json")

    assert response.status_code == 200, response.content
    activity = Activity.objects.get(plan=trip_plan)
    assert (activity.title, activity.location_name) == ("Pena Palace", "Pena Palace")


def test_a_tie_needs_the_option_named(as_, trip_plan, alice, carol, bob):
    poll = ask(bob, plan=trip_plan)
    porto, sintra, _ = option_ids(poll)
    services.poll_vote(actor=alice, poll_id=poll.pk, options=[porto])
    services.poll_vote(actor=carol, poll_id=poll.pk, options=[sintra])
    starts = trip_plan.start_at + timedelta(hours=2)
    body = {"to": "activity", "starts_at": starts, "ends_at": starts + timedelta(hours=1)}

    tie = as_("bob").post(poll_url(poll, "/apply"), body, format="json")
    assert_error(tie, 409, "no_winner")
    assert Poll.objects.get().closed_at is None  # the refused apply changed nothing

    named = as_("bob").post(poll_url(poll, "/apply"), {**body, "option": sintra}, format="json")
    assert named.status_code == 200
    assert Activity.objects.get(plan=trip_plan).title == "Sintra"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"to": "somewhere"}, 400),
        ({}, 400),
        ({"to": "activity"}, 400),  # no times
        ({"to": "plan_dates"}, 400),  # text options are not dates
    ],
)
def test_bad_applies_change_nothing(as_, trip_plan, alice, bob, body, status):
    poll = ask(bob, plan=trip_plan)
    services.poll_vote(actor=alice, poll_id=poll.pk, options=option_ids(poll)[:1])
    version = trip_plan.version

    assert_error(as_("bob").post(poll_url(poll, "/apply"), body, format="json"), status)

    trip_plan.refresh_from_db()
    assert trip_plan.version == version and Poll.objects.get().closed_at is None


def test_only_a_closer_applies_and_only_plan_polls(as_, trip, alice, bob):
    plan_poll = ask(alice, plan=make_plan(alice, group=trip))
    group_poll = ask(bob, group=trip)

    assert_error(
        as_("bob").post(poll_url(plan_poll, "/apply"), {"to": "plan_dates"}, format="json"), 403
    )
    response = as_("bob").post(poll_url(group_poll, "/apply"), {"to": "plan_dates"}, format="json")
    assert_error(response, 400, "not_plan_poll")


def test_the_sweep_is_a_periodic_task():
    from config.celery_app import periodic_schedule

    assert periodic_schedule()["poll-deadlines"][0] == "planpal.polls.tasks.close_due_polls"
