"""Notice planners are registered by each app (planpal.core.notices); the notifications app only
applies what they ask for, from the event row the outbox wrote."""

import pytest
from django.db import transaction

from planpal.accounts import services as accounts
from planpal.chat import services as chat
from planpal.core import notices
from planpal.core.events import EVENT_TYPES, DomainEvent, emit
from planpal.groups import services as groups
from planpal.notifications import services as notifications
from planpal.notifications.models import Notification
from planpal.plans import services as plans
from planpal.realtime.models import Event
from tests.plans.factories import make_activity, make_plan

# Each write commits: the notifications it causes are written after commit (realtime.fanout).
pytestmark = pytest.mark.django_db(transaction=True)


class NoticeProbe(DomainEvent):
    name = "test.notice_probe"
    user_ids: list[int]
    text: str


@pytest.fixture
def probe_planner():
    """A planner for NoticeProbe, registered as an app would in its ready(), removed after."""

    def plan(event: NoticeProbe, topic: str, actor_id: int | None) -> list[notices.Notice]:
        return [
            notices.Notice(
                kind="plan.updated", recipients=event.user_ids, title=event.text, data={"t": topic}
            )
        ]

    notices.register(NoticeProbe, plan)
    yield plan
    notices._planners.pop(NoticeProbe.name)


def test_an_apps_planner_notifies_without_the_notifications_app_knowing_its_event(
    probe_planner, alice, bob, carol
):
    with transaction.atomic():
        emit(NoticeProbe(user_ids=[alice.pk, bob.pk], text="Hello"), topic="plan:1", actor=bob)
    rows = Notification.objects.order_by("id").values_list("user_id", "kind", "title", "data")
    assert list(rows) == [(alice.pk, "plan.updated", "Hello", {"t": "plan:1"})]  # not the actor


def test_notices_sent_by_a_clock_driven_sender_count_the_people_told(alice, bob, carol):
    notice = notices.Notice(kind="plan.reminder", recipients=[alice.pk, bob.pk], title="Soon")
    with transaction.atomic():
        assert notices.send([notice]) == 2
    assert set(Notification.objects.values_list("user_id", flat=True)) == {alice.pk, bob.pk}


def test_every_event_of_a_busy_day_reads_back_as_its_type(alice, bob, carol):
    """The notifications listener plans from the stored row: each payload must rebuild its typed
    event exactly (aliases, datetimes, nested users)."""
    accounts.friend_request(actor=alice, user_id=bob.pk)
    accounts.friend_accept(actor=bob, user_id=alice.pk)
    accounts.friend_request(actor=alice, user_id=carol.pk)
    accounts.friend_accept(actor=carol, user_id=alice.pk)
    group = groups.group_create(actor=alice, name="Dalat")
    groups.member_add(actor=alice, group_id=group.pk, user_id=bob.pk)
    plan = make_plan(alice, group=group, title="Dalat")
    coffee = make_activity(bob, plan, start_hour=1, title="Coffee")
    plans.activity_complete(actor=bob, activity_id=coffee.pk)
    plans.plan_start(actor=alice, plan_id=plan.pk)
    message, _ = chat.message_send(actor=bob, conversation=group.conversation, text="Hi")
    chat.message_edit(actor=bob, message_id=message.pk, text="Hi all")
    direct, _ = chat.direct_conversation_get_or_create(actor=alice, other_user_id=carol.pk)
    chat.message_send(actor=alice, conversation=direct, kind="location", lat=11.94, lng=108.44)
    chat.conversation_mark_read(actor=alice, conversation=group.conversation, message_id=message.pk)
    notifications.notifications_mark_all_read(actor=carol)
    notifications.preferences_update(actor=bob, muted_group_ids=[group.pk])
    groups.member_remove(actor=alice, group_id=group.pk, user_id=bob.pk)
    groups.group_delete(actor=alice, group_id=group.pk)

    rows = list(Event.objects.order_by("created_at"))
    assert len({row.name for row in rows}) >= 19
    for row in rows:
        assert EVENT_TYPES[row.name].model_validate(row.payload).data() == row.payload, row.name
