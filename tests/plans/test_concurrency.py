"""Concurrent writes to one plan: the plan row lock makes the overlap check and the status
transitions safe when two requests arrive at once."""

import contextlib
import threading

import pytest
from django.db import connection

from planpal.core.exceptions import Conflict, InvalidInput
from planpal.plans import services
from planpal.plans.models import Activity, Plan
from planpal.plans.services import activities
from planpal.realtime.models import Event
from tests.plans.factories import at, plan_topic

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls, rendezvous_in=None, monkeypatch=None):
    """Run each call in its own thread (own DB connection). If `rendezvous_in` names a function
    of the activity services, each call waits there (up to 1 s) for the others: without the plan
    lock they would all meet inside it at once; with the lock the later ones are still queued on
    the plan row."""
    if rendezvous_in:
        barrier = threading.Barrier(len(calls))
        original = getattr(activities, rendezvous_in)

        def meet(*args, **kwargs):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=1)
            return original(*args, **kwargs)

        monkeypatch.setattr(activities, rendezvous_in, meet)

    outcomes: list = [None] * len(calls)

    def work(index, call):
        try:
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_overlapping_activities_at_once_only_one_is_created(trip_plan, alice, bob, monkeypatch):
    def create(actor, hour):
        return lambda: services.activity_create(
            actor=actor,
            plan_id=trip_plan.pk,
            title=f"by {actor.username}",
            starts_at=at(trip_plan, hour),
            ends_at=at(trip_plan, hour + 2),
        )[0]

    outcomes = run_together(
        create(alice, 1), create(bob, 2), rendezvous_in="_check_activity", monkeypatch=monkeypatch
    )

    assert Activity.objects.filter(plan=trip_plan).count() == 1
    assert sum(isinstance(o, Activity) for o in outcomes) == 1
    [refused] = [o for o in outcomes if not isinstance(o, Activity)]
    assert isinstance(refused, InvalidInput) and refused.code == "overlap", refused
    seqs = list(Event.objects.filter(topic=plan_topic(trip_plan)).values_list("seq", flat=True))
    assert sorted(seqs) == [1, 2]


def test_two_starts_at_once_start_the_plan_once(trip_plan, alice, carol):
    outcomes = run_together(
        lambda: services.plan_start(actor=alice, plan_id=trip_plan.pk),
        lambda: services.plan_start(actor=carol, plan_id=trip_plan.pk),
    )

    assert sum(isinstance(o, Plan) for o in outcomes) == 1
    [refused] = [o for o in outcomes if not isinstance(o, Plan)]
    assert isinstance(refused, Conflict) and refused.code == "invalid_transition", refused
    trip_plan.refresh_from_db()
    assert (trip_plan.status, trip_plan.version) == ("ongoing", 2)
    names = Event.objects.filter(topic=plan_topic(trip_plan)).values_list("name", flat=True)
    assert list(names).count("plan.status_changed") == 1


def test_many_racing_transitions_change_the_status_once(trip_plan):
    outcomes = run_together(
        *[
            lambda: services.plan_transition(
                plan_id=trip_plan.pk, from_status="upcoming", to_status="cancelled", reason="manual"
            )
        ]
        * 4
    )

    assert sorted(outcomes) == [False, False, False, True]
    assert (
        Event.objects.filter(topic=plan_topic(trip_plan), name="plan.status_changed").count() == 1
    )
