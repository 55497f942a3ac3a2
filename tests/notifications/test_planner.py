"""The notification planner: who is told about what, collapsing, and read/edit/delete upkeep."""

import pytest

from planpal.chat.services import conversation_mark_read, message_delete, message_send
from planpal.notifications.models import Device, Notification, NotificationPreference
from planpal.plans import services as plan_services
from planpal.plans.services import plan_transition
from planpal.realtime import fanout
from tests.factories import make_group
from tests.plans.factories import make_activity, make_plan

# Each write commits: the notifications it causes are written after commit (realtime.fanout).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trip(alice, bob, carol):
    return make_group("Dalat crew", owner=alice, members=[bob, carol])


def inbox(user) -> list[tuple[str, str, str, int]]:
    rows = Notification.objects.filter(user=user).order_by("id")
    return [(n.kind, n.title, n.body, n.count) for n in rows]


def say(user, trip, text):
    message, _ = message_send(actor=user, conversation=trip.conversation, text=text)
    return message


def test_a_group_message_notifies_everyone_but_the_sender(alice, bob, carol, trip):
    say(alice, trip, "Coffee at 8?")
    assert inbox(alice) == []
    for user in (bob, carol):
        assert inbox(user) == [("chat.message", "Dalat crew", "Alice: Coffee at 8?", 1)]


def test_a_burst_collapses_into_one_notification_with_a_count(alice, bob, trip, events):
    for n in range(3):
        say(alice, trip, f"msg {n}")
    assert inbox(bob) == [("chat.message", "Dalat crew", "Alice: msg 2", 3)]
    names = [name for _, name, _ in events(f"user:{bob.pk}", prefix="notification.")]
    assert names == ["notification.created", "notification.updated", "notification.updated"]


def test_a_muted_group_or_opted_out_kind_tells_nobody(alice, bob, carol, trip):
    NotificationPreference.objects.create(user=bob, muted_group_ids=[trip.pk])
    NotificationPreference.objects.create(user=carol, disabled_kinds=["chat.message"])
    say(alice, trip, "anyone?")
    assert inbox(bob) == [] and inbox(carol) == []


def test_reading_the_conversation_reads_its_notification_everywhere(alice, bob, trip, events):
    message = say(alice, trip, "hello")
    conversation_mark_read(actor=bob, conversation=trip.conversation, message_id=message.pk)
    assert Notification.objects.get(user=bob).read_at is not None
    assert [name for _, name, _ in events(f"user:{bob.pk}", prefix="notification.")] == [
        "notification.created",
        "notification.read",
    ]


def test_replying_means_having_read(alice, bob, trip):
    say(alice, trip, "question?")
    say(bob, trip, "answer!")
    assert Notification.objects.get(user=bob).read_at is not None


def test_a_deleted_message_is_not_quoted_any_more(alice, bob, trip):
    message = say(alice, trip, "secret")
    message_delete(actor=alice, message_id=message.pk)
    assert inbox(bob) == [("chat.message", "Dalat crew", "Alice: (message deleted)", 1)]


def test_a_scheduled_start_tells_every_member(alice, bob, carol, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    Notification.objects.all().delete()  # plan.created notifications are not the point here
    plan_services.plan_start(actor=alice, plan_id=plan.pk)
    assert [kind for kind, *_ in inbox(alice)] == []  # she did it herself
    assert inbox(bob) == [("plan.status_changed", "Dalat has started", "", 1)]
    plan_services.plan_cancel(actor=alice, plan_id=plan.pk)
    assert inbox(carol)[-1][:2] == ("plan.status_changed", "Dalat was cancelled")


def test_scheduled_transitions_have_no_actor_so_everyone_hears(alice, trip):
    from datetime import timedelta

    import time_machine

    plan = make_plan(alice, group=trip, title="Dalat")
    with time_machine.travel(plan.start_at + timedelta(seconds=1), tick=False):
        assert plan_transition(
            plan_id=plan.pk, from_status="upcoming", to_status="ongoing", reason="scheduled"
        )
    assert ("plan.status_changed", "Dalat has started", "", 1) in inbox(alice)


def test_completing_an_activity_tells_the_others(alice, bob, trip):
    plan = make_plan(alice, group=trip, title="Dalat")
    coffee = make_activity(alice, plan, start_hour=1, title="Coffee")
    plan_services.activity_complete(actor=bob, activity_id=coffee.pk)
    assert ("plan.activity_completed", "Dalat", "Bob completed Coffee", 1) in inbox(alice)
    assert all(kind != "plan.activity_completed" for kind, *_ in inbox(bob))


def test_a_push_is_planned_only_for_someone_with_a_phone(alice, bob, carol, trip):
    Device.objects.create(user=bob, platform="android", token="bob-phone")
    say(alice, trip, "ping")
    assert Notification.objects.get(user=bob).push_due_at is not None
    assert Notification.objects.get(user=carol).push_due_at is None


# In one transaction that never commits: the planned push tasks never run (lost), and the
# fan-out is run by hand where the commits would have been.
@pytest.mark.django_db
def test_a_push_whose_task_was_lost_does_not_block_later_pushes(alice, bob, trip):
    from datetime import timedelta

    from django.utils import timezone

    Device.objects.create(user=bob, platform="android", token="bob-phone")
    say(alice, trip, "first")
    fanout.run_pending()
    stale = timezone.now() - timedelta(minutes=10)
    Notification.objects.filter(user=bob).update(push_due_at=stale)  # its task never ran
    say(alice, trip, "second")
    fanout.run_pending()
    assert Notification.objects.get(user=bob).push_due_at > stale


@pytest.mark.django_db
def test_a_push_whose_task_was_lost_is_handed_over_again(alice, bob, carol, trip, monkeypatch):
    """Broker down when the push was planned: the rescue sweep re-enqueues it once it is overdue,
    and only pushes that are still unclaimed, unread and recent."""
    from datetime import timedelta

    from django.utils import timezone

    from planpal.notifications import tasks
    from planpal.notifications.tasks import push_notification
    from planpal.notifications.tasks import rescue_lost_pushes as pushes_rescue_lost

    for user in (bob, carol):
        Device.objects.create(user=user, platform="android", token=f"{user.username}-phone")
    say(alice, trip, "first")
    fanout.run_pending()
    lost, read = Notification.objects.get(user=bob), Notification.objects.get(user=carol)
    overdue = timezone.now() - timedelta(minutes=5)
    Notification.objects.filter(pk__in=[lost.pk, read.pk]).update(push_due_at=overdue)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, **kw: enqueued.append((task, kw)))

    assert pushes_rescue_lost() == [lost.pk]
    assert enqueued == [(push_notification, {"notification_id": lost.pk})]

    # Claimed (pushed), not yet due, or too old to be news: nothing to rescue.
    Notification.objects.filter(pk=lost.pk).update(pushed_at=timezone.now())
    assert pushes_rescue_lost() == []
    Notification.objects.filter(pk=lost.pk).update(pushed_at=None, push_due_at=timezone.now())
    assert pushes_rescue_lost() == []
    Notification.objects.filter(pk=lost.pk).update(push_due_at=timezone.now() - timedelta(hours=2))
    assert pushes_rescue_lost() == []
