"""What the notification planner asks before notifying someone: mutes, opt-outs, quiet hours."""

from datetime import UTC, datetime, time

from planpal.notifications.selectors import in_quiet_hours, notification_wanted
from planpal.notifications.services import preferences_update
from tests.factories import insert_plan, make_group


def test_everything_is_wanted_by_default(alice):
    assert notification_wanted(user=alice, kind="chat.message", group_id=1, plan_id=2)
    assert not in_quiet_hours(user=alice)


def test_muted_group_plan_and_disabled_kind_are_not_wanted(alice):
    group = make_group("Trip", owner=alice)
    plan = insert_plan("Lisbon", creator=alice, group=group)
    preferences_update(
        actor=alice,
        muted_group_ids=[group.pk],
        muted_plan_ids=[plan.pk],
        disabled_kinds=["plan.updated"],
    )

    assert not notification_wanted(user=alice, kind="chat.message", group_id=group.pk)
    assert not notification_wanted(user=alice, kind="plan.reminder", plan_id=plan.pk)
    assert not notification_wanted(user=alice, kind="plan.updated")
    assert notification_wanted(user=alice, kind="plan.reminder", plan_id=plan.pk + 1)


def test_quiet_hours_across_midnight_in_the_users_timezone(alice):
    alice.timezone = "Europe/Lisbon"  # UTC+1 in summer
    alice.save()
    preferences_update(actor=alice, quiet_hours_start=time(22), quiet_hours_end=time(7))

    assert in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 21, 30, tzinfo=UTC))  # 22:30
    assert in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 5, 0, tzinfo=UTC))  # 06:00
    assert not in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 6, 0, tzinfo=UTC))  # 07:00
    assert not in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))


def test_quiet_hours_within_a_day(alice):
    preferences_update(actor=alice, quiet_hours_start=time(13), quiet_hours_end=time(15))

    assert in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 14, 0, tzinfo=UTC))
    assert not in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 15, 0, tzinfo=UTC))


def test_unknown_timezone_falls_back_to_utc(alice):
    alice.timezone = "Mars/Olympus"
    alice.save()
    preferences_update(actor=alice, quiet_hours_start=time(13), quiet_hours_end=time(15))

    assert in_quiet_hours(user=alice, at=datetime(2026, 7, 1, 14, 0, tzinfo=UTC))
