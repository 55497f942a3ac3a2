"""The plan lifecycle sweep with a controllable clock (time-machine moves every `now`)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from planpal.plans import services
from planpal.plans.models import Plan
from planpal.plans.scheduling import plans_advance_due
from tests.factories import make_group
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trip(alice, bob):
    return make_group("Dalat", owner=alice, members=[bob])


def status_changes(events, plan) -> list[tuple[str, str, str]]:
    return [
        (data["from"], data["to"], data["reason"])
        for _, name, data in events(f"plan:{plan.pk}")
        if name == "plan.status_changed"
    ]


def sweep_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return plans_advance_due()


def test_plan_starts_and_completes_at_its_times(alice, trip, events):
    plan = make_plan(alice, group=trip, days=2)

    assert sweep_at(plan.start_at - timedelta(seconds=1)) == 0
    assert Plan.objects.get(pk=plan.pk).status == "upcoming"

    assert sweep_at(plan.start_at) == 1
    assert Plan.objects.get(pk=plan.pk).status == "ongoing"
    assert sweep_at(plan.start_at + timedelta(minutes=5)) == 0  # nothing twice

    assert sweep_at(plan.end_at - timedelta(seconds=1)) == 0
    assert sweep_at(plan.end_at + timedelta(seconds=3)) == 1
    plan.refresh_from_db()
    assert plan.status == "completed"
    assert plan.status_changed_at == plan.end_at + timedelta(seconds=3)
    assert status_changes(events, plan) == [
        ("upcoming", "ongoing", "scheduled"),
        ("ongoing", "completed", "scheduled"),
    ]


def test_cancelled_plan_never_starts(alice, trip, events):
    plan = make_plan(alice, group=trip)
    services.plan_cancel(actor=alice, plan_id=plan.pk)
    assert sweep_at(plan.end_at + timedelta(days=1)) == 0
    assert Plan.objects.get(pk=plan.pk).status == "cancelled"
    assert status_changes(events, plan) == [("upcoming", "cancelled", "manual")]


def test_moving_the_start_later_delays_the_start(alice, trip):
    plan = make_plan(alice, group=trip)
    later = plan.start_at + timedelta(hours=6)
    services.plan_update(actor=alice, plan_id=plan.pk, version=plan.version, start_at=later)

    assert sweep_at(plan.start_at + timedelta(hours=1)) == 0
    assert Plan.objects.get(pk=plan.pk).status == "upcoming"
    assert sweep_at(later) == 1
    assert Plan.objects.get(pk=plan.pk).status == "ongoing"


def test_a_plan_missed_entirely_goes_through_both_transitions_in_order(alice, trip, events):
    plan = make_plan(alice, group=trip, days=1)
    assert sweep_at(plan.end_at + timedelta(hours=1)) == 2
    assert [to for _, to, _ in status_changes(events, plan)] == ["ongoing", "completed"]


def test_manual_start_then_sweep_does_not_start_twice(alice, trip, events):
    plan = make_plan(alice, group=trip)
    services.plan_start(actor=alice, plan_id=plan.pk)
    assert sweep_at(plan.start_at + timedelta(minutes=1)) == 0
    assert status_changes(events, plan) == [("upcoming", "ongoing", "manual")]


def test_concurrent_sweeps_make_each_transition_exactly_once(alice, trip, events):
    plans = [make_plan(alice, group=trip, title=f"Trip {n}", days=1) for n in range(5)]
    moment = plans[0].start_at + timedelta(minutes=1)
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def sweeper() -> None:
        try:
            with time_machine.travel(moment, tick=False):
                barrier.wait()
                results.append(plans_advance_due())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sum(results) == 5
    for plan in plans:
        assert status_changes(events, plan) == [("upcoming", "ongoing", "scheduled")]


def test_an_ongoing_plan_moved_into_the_future_is_upcoming_again_and_reminded(
    alice, bob, trip, events
):
    """Issue 13 #14: a started plan rescheduled to next week stayed `ongoing`, so the sweep never
    started it again and its reminders (for upcoming plans) never fired."""
    from planpal.notifications.models import Notification
    from planpal.plans.scheduling import plan_reminders_send_due

    plan = make_plan(alice, group=trip, days=2)
    started = plan.start_at + timedelta(hours=1)
    sweep_at(plan.start_at)
    plan.refresh_from_db()
    assert plan.status == "ongoing"
    next_week = plan.start_at + timedelta(days=7)

    with time_machine.travel(started, tick=False):
        moved = services.plan_update(
            actor=alice,
            plan_id=plan.pk,
            version=plan.version,
            start_at=next_week,
            end_at=next_week + timedelta(days=2),
        )

    assert (moved.status, moved.version) == ("upcoming", plan.version + 2)
    assert status_changes(events, plan)[-1] == ("ongoing", "upcoming", "rescheduled")
    *_, (_, updated, _), (_, changed, data) = events(f"plan:{plan.pk}")
    assert (updated, changed, data["version"]) == (
        "plan.updated",
        "plan.status_changed",
        moved.version,
    )
    postponed = Notification.objects.filter(user=bob, kind="plan.status_changed").last()
    assert postponed.title == "Lisbon was postponed" and "Europe/Lisbon" in postponed.body
    with time_machine.travel(next_week - timedelta(minutes=30), tick=False):
        assert plan_reminders_send_due() == 2  # alice and bob
    assert sweep_at(next_week - timedelta(seconds=1)) == 0
    assert sweep_at(next_week) == 1
    assert Plan.objects.get(pk=plan.pk).status == "ongoing"


def test_an_ongoing_plan_whose_start_stays_past_stays_ongoing(alice, trip, events):
    plan = make_plan(alice, group=trip, days=2)
    sweep_at(plan.start_at)
    plan.refresh_from_db()

    with time_machine.travel(plan.start_at + timedelta(hours=2), tick=False):
        services.plan_update(
            actor=alice,
            plan_id=plan.pk,
            version=plan.version,
            start_at=plan.start_at + timedelta(hours=1),
            end_at=plan.end_at + timedelta(days=1),
        )

    assert Plan.objects.get(pk=plan.pk).status == "ongoing"
    assert status_changes(events, plan) == [("upcoming", "ongoing", "scheduled")]
