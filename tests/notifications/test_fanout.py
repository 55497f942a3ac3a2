"""The write path does not grow with the group: a write commits its own events only, and the
notifications of everyone it concerns are written after commit, from the event row, in bulk,
exactly once and in order on each user topic (planpal.realtime.fanout)."""

import dataclasses
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planpal.chat.services import message_send
from planpal.notifications.models import Device, Notification
from planpal.plans import services as plans
from planpal.realtime import fanout
from planpal.realtime.models import Event
from tests.conftest import make_user
from tests.factories import make_group
from tests.plans.factories import make_activity, make_plan


def crew(size: int, tag: str):
    """An owner and `size - 1` members, a plan and three activities: (group, plan, activities)."""
    users = [make_user(f"{tag}{n}") for n in range(size)]
    group = make_group(f"Crew {tag}", owner=users[0], members=users[1:])
    plan = make_plan(users[0], group=group, title=f"Trip {tag}")
    activities = [make_activity(users[0], plan, start_hour=h, title=f"A{h}") for h in (1, 4, 7)]
    fanout.run_pending()  # plan.created's notifications are not the point here
    return group, plan, activities, users


def completed_notices(user) -> list[tuple[int, str]]:
    """(seq, activity title) of the activity notifications on the user's topic, in seq order."""
    rows = Event.objects.filter(topic=f"user:{user.pk}", name="notification.created")
    return [
        (row.seq, row.payload["body"])
        for row in rows.order_by("seq")
        if row.payload["kind"] == "plan.activity_completed"
    ]


@pytest.mark.django_db
def test_completing_an_activity_costs_the_same_queries_at_2_and_40_members():
    counts = {}
    for size in (2, 2, 40):  # the first is a warm-up (caches filled once per process)
        _, _, activities, users = crew(size, f"q{len(counts)}s{size}")
        with CaptureQueriesContext(connection) as write:
            plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
        counts[size] = len(write.captured_queries)
        assert not Notification.objects.filter(kind="plan.activity_completed").exists()
        with CaptureQueriesContext(connection) as after:
            fanout.run_pending()
        counts[f"after {size}"] = len(after.captured_queries)
        assert Notification.objects.filter(kind="plan.activity_completed").count() == size - 1
        Notification.objects.all().delete()
    assert counts[2] == counts[40], counts
    # The fan-out after commit is bulk too: no query per member.
    assert counts["after 2"] == counts["after 40"], counts


@pytest.mark.django_db
def test_the_fan_out_plans_pushes_in_bulk():
    for size in (3, 30):
        _, _, activities, users = crew(size, f"p{size}u")
        Device.objects.bulk_create(
            Device(user=user, platform="android", token=f"{user.username}-phone") for user in users
        )
        plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
        with CaptureQueriesContext(connection) as after:
            fanout.run_pending()
        told = Notification.objects.filter(user__in=users, kind="plan.activity_completed")
        assert told.count() == size - 1
        assert all(n.push_due_at is not None for n in told)
        if size == 3:
            small = len(after.captured_queries)
    assert len(after.captured_queries) == small


@pytest.mark.django_db(transaction=True)
def test_every_member_is_told_once_and_in_order_after_commit():
    _, _, activities, users = crew(12, "order")
    with transaction.atomic():
        plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
        # Inside the write's transaction: its own events only.
        assert not Notification.objects.filter(kind="plan.activity_completed").exists()
    for activity in activities[1:]:
        plans.activity_complete(actor=users[1], activity_id=activity.pk)

    assert completed_notices(users[1]) == []  # the actor is not told of her own action
    for user in [users[0], *users[2:]]:
        told = completed_notices(user)
        expected = [f"{users[1].display_name} completed A{hour}" for hour in (1, 4, 7)]
        assert [body for _, body in told] == expected
        seqs = [seq for seq, _ in told]
        assert seqs == sorted(seqs) and len(set(seqs)) == 3
        assert Notification.objects.filter(user=user, kind="plan.activity_completed").count() == 3
    assert not Event.objects.filter(fanout_pending=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_messages_folds_in_order():
    group, _, _, users = crew(5, "burst")
    for n in range(4):
        message_send(actor=users[0], conversation=group.conversation, text=f"msg {n}")
    for user in users[1:]:
        (notification,) = Notification.objects.filter(user=user, kind="chat.message")
        assert (notification.count, notification.body) == (4, f"{users[0].display_name}: msg 3")


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_commit_and_fan_out_loses_nothing(monkeypatch):
    _, _, activities, users = crew(6, "crash")
    # The process dies right after the commit: its after-commit fan-out never runs.
    monkeypatch.setattr(fanout, "_after_commit", lambda: None)
    plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
    row = Event.objects.get(name="plan.activity_completed")
    assert row.fanout_pending
    assert not Notification.objects.filter(kind="plan.activity_completed").exists()

    assert fanout.sweep_pending() == 0  # too fresh: its own process may still be at it
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        assert fanout.sweep_pending() == 1
    told = Notification.objects.filter(kind="plan.activity_completed", source_event=row.id)
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        u.pk for u in users if u != users[1]
    )
    assert not Event.objects.get(pk=row.pk).fanout_pending


@pytest.mark.django_db(transaction=True)
def test_an_event_planned_twice_notifies_once():
    group, _, activities, users = crew(4, "twice")
    plans.activity_complete(actor=users[1], activity_id=activities[0].pk)
    message_send(actor=users[0], conversation=group.conversation, text="hello")
    before = (Notification.objects.count(), Event.objects.filter(topic__startswith="user:").count())
    assert fanout.run_pending() == 0  # done: nothing pending

    # Planned again all the same (a claim that somehow ran twice): nobody is told twice.
    Event.objects.filter(name__in=["plan.activity_completed", "group.message_sent"]).update(
        fanout_pending=True
    )
    assert fanout.run_pending() == 2
    after = (Notification.objects.count(), Event.objects.filter(topic__startswith="user:").count())
    assert after == before
    assert {n.count for n in Notification.objects.filter(kind="chat.message")} == {1}


@pytest.mark.django_db
def test_the_database_refuses_a_second_notification_of_one_event(alice):
    row = Event.objects.create(topic="plan:1", seq=1, name="plan.activity_completed")
    Notification.objects.create(user=alice, kind="plan.activity_completed", source_event=row.id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=alice, kind="plan.activity_completed", source_event=row.id)


@pytest.mark.django_db(transaction=True)
def test_a_slow_fan_out_holds_back_the_next_one_so_order_is_kept(monkeypatch):
    """Two processes fan out at once; the first is slow with the oldest events. The second must
    wait for it rather than tell people of later events first (or of the same ones again)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row-lock path needs MariaDB/PostgreSQL")
    _, plan, _, users = crew(6, "race")
    activities = [
        make_activity(users[0], plan, start_hour=10 + 3 * n, hours=1, title=f"R{n}")
        for n in range(9)
    ]
    fanout.run_pending()
    monkeypatch.setattr(fanout, "_after_commit", lambda: None)  # left to the two workers below
    for activity in activities:
        plans.activity_complete(actor=users[1], activity_id=activity.pk)
    monkeypatch.setattr(fanout, "BATCH", 3)
    first_is_in = threading.Event()
    listener = fanout._listeners["notifications"]

    def slow_handle(rows) -> None:
        if threading.current_thread().name == "first" and not first_is_in.is_set():
            first_is_in.set()
            time.sleep(0.5)
        listener.handle(rows)

    monkeypatch.setitem(
        fanout._listeners, "notifications", dataclasses.replace(listener, handle=slow_handle)
    )
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            fanout.run_pending()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=worker, name="first")
    second = threading.Thread(target=worker, name="second")
    first.start()
    assert first_is_in.wait(10)
    second.start()
    for thread in (first, second):
        thread.join(30)
    assert errors == []
    expected = [f"{users[1].display_name} completed R{n}" for n in range(9)]
    for user in [users[0], *users[2:]]:
        assert [body for _, body in completed_notices(user)] == expected
    assert not Event.objects.filter(fanout_pending=True).exists()
