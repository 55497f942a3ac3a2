"""Reminders before a plan and before an activity: sent once, to the right people."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from planpal.notifications.models import Notification, NotificationPreference
from planpal.plans import services
from planpal.plans.scheduling import activity_reminders_send_due, plan_reminders_send_due
from tests.factories import make_group
from tests.plans.factories import make_activity, make_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trip(alice, bob, carol):
    return make_group("Dalat", owner=alice, members=[bob, carol])


def reminders(kind: str = "plan.reminder") -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=kind).order_by("user__username", "id")
    return [(n.user.username, n.title) for n in rows]


def run_at(moment, sweep) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep()


def test_members_are_reminded_a_day_and_an_hour_before(alice, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    start = plan.start_at

    assert run_at(start - timedelta(hours=25), plan_reminders_send_due) == 0
    assert run_at(start - timedelta(hours=23), plan_reminders_send_due) == 3
    assert run_at(start - timedelta(hours=22), plan_reminders_send_due) == 0
    assert run_at(start - timedelta(minutes=59), plan_reminders_send_due) == 3
    assert run_at(start - timedelta(minutes=30), plan_reminders_send_due) == 0
    assert reminders() == [
        ("alice", "Dalat starts in 1 day"),
        ("alice", "Dalat starts in 1 hour"),
        ("bob", "Dalat starts in 1 day"),
        ("bob", "Dalat starts in 1 hour"),
        ("carol", "Dalat starts in 1 day"),
        ("carol", "Dalat starts in 1 hour"),
    ]


def test_a_moved_plan_is_reminded_again_for_its_new_time(alice, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    run_at(plan.start_at - timedelta(minutes=30), plan_reminders_send_due)
    later = plan.start_at + timedelta(days=2)
    services.plan_update(actor=alice, plan_id=plan.pk, version=plan.version, start_at=later)
    assert run_at(later - timedelta(minutes=30), plan_reminders_send_due) == 3
    assert run_at(later - timedelta(minutes=20), plan_reminders_send_due) == 0
    # The sweep jumped straight into the last hour: only "in 1 hour", and never "in 1 day" after.
    assert [title for _, title in reminders()] == ["Dalat starts in 1 hour"] * 6


def test_offsets_already_past_at_creation_are_skipped(alice, trip):
    created = datetime(2030, 1, 10, 8, 0, tzinfo=UTC)
    with time_machine.travel(created, tick=False):
        soon = make_plan(alice, group=trip, title="Soon", start=created + timedelta(hours=3))
    assert run_at(soon.start_at - timedelta(hours=2), plan_reminders_send_due) == 0
    assert run_at(soon.start_at - timedelta(minutes=30), plan_reminders_send_due) == 3
    assert {title for _, title in reminders()} == {"Soon starts in 1 hour"}


def test_muted_plan_and_opted_out_kind_get_no_reminder(alice, bob, carol, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    NotificationPreference.objects.create(user=bob, muted_plan_ids=[plan.pk])
    NotificationPreference.objects.create(user=carol, disabled_kinds=["plan.reminder"])
    run_at(plan.start_at - timedelta(minutes=30), plan_reminders_send_due)
    assert reminders() == [("alice", "Dalat starts in 1 hour")]


def test_cancelled_plan_is_not_reminded(alice, trip):
    plan = make_plan(alice, group=trip)
    services.plan_cancel(actor=alice, plan_id=plan.pk)
    assert run_at(plan.start_at - timedelta(minutes=30), plan_reminders_send_due) == 0


def test_activity_reminder_a_quarter_hour_before_once(alice, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    coffee = make_activity(alice, plan, start_hour=3, title="Coffee", location_name="Market")
    done = make_activity(alice, plan, start_hour=6, title="Lake")
    services.activity_complete(actor=alice, activity_id=done.pk)

    assert run_at(coffee.starts_at - timedelta(minutes=20), activity_reminders_send_due) == 0
    assert run_at(coffee.starts_at - timedelta(minutes=14), activity_reminders_send_due) == 3
    assert run_at(coffee.starts_at - timedelta(minutes=5), activity_reminders_send_due) == 0
    assert run_at(done.starts_at - timedelta(minutes=5), activity_reminders_send_due) == 0
    assert set(reminders("plan.activity_reminder")) == {
        (name, "Coffee starts in 15 minutes") for name in ("alice", "bob", "carol")
    }


def test_overlapping_reminder_runs_send_each_reminder_once(alice, trip):
    plans = [make_plan(alice, group=trip, title=f"Trip {n}") for n in range(3)]
    moment = plans[0].start_at - timedelta(minutes=30)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        try:
            with time_machine.travel(moment, tick=False):
                barrier.wait()
                plan_reminders_send_due()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(reminders()) == 3 * 3  # three plans, three members, one reminder each


def test_reminders_state_times_in_the_plans_zone_and_name_it(alice, trip):
    """Issue 13 #15: a plan starting 00:35 in Ho Chi Minh City was announced as "17:35 UTC"."""
    start = datetime(2031, 11, 27, 17, 35, tzinfo=UTC)  # Fri 28 Nov 00:35 in Ho Chi Minh City
    with time_machine.travel(start - timedelta(days=30), tick=False):
        plan = make_plan(
            alice, group=trip, title="Saigon", start=start, timezone="Asia/Ho_Chi_Minh"
        )
        pho = make_activity(alice, plan, start_hour=8, title="Pho", location_name="Ben Thanh")

    run_at(start - timedelta(minutes=30), plan_reminders_send_due)
    run_at(pho.starts_at - timedelta(minutes=10), activity_reminders_send_due)

    plan_note = Notification.objects.filter(kind="plan.reminder", user=alice).get()
    pho_note = Notification.objects.filter(kind="plan.activity_reminder", user=alice).get()
    assert plan_note.body == "Starts Fri 28 Nov 2031, 00:35 (Asia/Ho_Chi_Minh, UTC+07:00)."
    assert (
        pho_note.body
        == "Saigon at Ben Thanh, Fri 28 Nov 2031, 08:35 (Asia/Ho_Chi_Minh, UTC+07:00)."
    )
    assert "17:35" not in plan_note.body and "UTC." not in plan_note.body
    assert plan_note.data["timezone"] == pho_note.data["timezone"] == "Asia/Ho_Chi_Minh"
