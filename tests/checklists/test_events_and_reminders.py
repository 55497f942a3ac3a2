"""Checklist events keep a stale copy in sync; the feed says who did what; items coming due
remind whoever they are for, once; a new assignee is told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.checklists import services
from planpal.checklists.models import Item
from planpal.checklists.reminders import checklist_reminders_send_due
from planpal.core.events import EVENT_TYPES
from planpal.notifications.models import Notification
from planpal.realtime.models import Event
from tests.checklists.test_checklists_api import new_item, new_list

pytestmark = pytest.mark.django_db


def apply(lists: dict, name: str, data: dict) -> None:
    """What a client does with each plan.checklist_* event to its copy of GET .../checklists."""
    action = name.removeprefix("plan.checklist_")
    if action == "created":
        lists[data["id"]] = {**data}
        return
    if action == "deleted":
        lists.pop(data["checklist_id"], None)
        return
    checklist = lists[data.get("checklist_id", data.get("checklist"))]
    items = checklist["items"]
    if action == "renamed":
        checklist.update(title=data["title"], version=data["version"])
    elif action == "item_added":
        items.append(data)
    elif action in ("item_updated", "item_ticked", "item_unticked"):
        items[:] = [data if i["id"] == data["id"] else i for i in items]
    elif action == "item_deleted":
        items[:] = [i for i in items if i["id"] != data["item_id"]]
    elif action == "reordered":
        for item in items:
            item["position"] = data["order"].index(item["id"])
            item["version"] = data["versions"][str(item["id"])]
    items.sort(key=lambda i: (i["position"], i["id"]))


def test_events_keep_a_stale_copy_in_sync(as_, trip_plan, alice, bob, carol):
    stale_body = as_("carol").get(f"/api/v1/plans/{trip_plan.pk}/checklists").json()
    stale = {c["id"]: c for c in stale_body["results"]}
    since = stale_body["stream"]["seq"]

    gear = new_list(bob, trip_plan, title="Gear")
    tent, stove, _ = (new_item(bob, gear, t) for t in ("Tent", "Stove", "Map"))
    services.item_tick(actor=carol, item_id=tent.pk)
    services.item_update(actor=alice, item_id=stove.pk, text="Gas stove", assignee_id=carol.pk)
    services.items_reorder(actor=alice, checklist_id=gear.pk, order=[stove.pk, _.pk, tent.pk])
    services.item_delete(actor=bob, item_id=_.pk)
    services.checklist_rename(actor=carol, checklist_id=gear.pk, title="Camping gear")
    services.item_untick(actor=bob, item_id=tent.pk)
    doomed = new_list(alice, trip_plan, title="Food")
    services.checklist_delete(actor=alice, checklist_id=doomed.pk)

    rows = Event.objects.filter(topic=f"plan:{trip_plan.pk}", seq__gt=since).order_by("seq")
    for row in rows:
        apply(stale, row.name, row.payload)
        assert EVENT_TYPES[row.name].model_validate(row.payload).data() == row.payload
    fresh = as_("carol").get(f"/api/v1/plans/{trip_plan.pk}/checklists").json()["results"]
    copy = [{k: v for k, v in c.items() if k != "stream"} for c in stale.values()]
    assert copy == [{k: v for k, v in c.items() if k != "stream"} for c in fresh]


def test_the_feed_says_who_did_what(as_, trip_plan, bob, carol):
    item = new_item(bob, new_list(bob, trip_plan, title="Gear"))
    services.item_tick(actor=carol, item_id=item.pk)

    feed = as_("alice").get(f"/api/v1/plans/{trip_plan.pk}/events").json()["results"]
    summaries = [entry["summary"] for entry in feed]
    assert summaries[:3] == ["Carol ticked Tent", "Bob added Tent", "Bob started the list Gear"]


def test_an_item_coming_due_reminds_its_assignee_once(trip_plan, bob, carol):
    checklist = new_list(bob, trip_plan)
    due = timezone.now() + timedelta(minutes=30)
    new_item(bob, checklist, "Book the ferry", assignee_id=carol.pk, due_at=due)
    new_item(bob, checklist, "Later", due_at=timezone.now() + timedelta(days=2))
    done = new_item(bob, checklist, "Done already", due_at=due)
    services.item_tick(actor=bob, item_id=done.pk)

    assert checklist_reminders_send_due() == 1
    assert checklist_reminders_send_due() == 0
    reminder = Notification.objects.get(kind="plan.checklist_item_due")
    assert reminder.user_id == carol.pk and reminder.title == "Due soon: Book the ferry"


def test_an_unassigned_shared_item_reminds_every_member(trip_plan, bob, alice, carol):
    item = new_item(bob, new_list(bob, trip_plan), due_at=timezone.now() + timedelta(minutes=5))

    assert checklist_reminders_send_due() == 3
    assert Item.objects.get(pk=item.pk).done_at is None
    assert set(
        Notification.objects.filter(kind="plan.checklist_item_due").values_list("user", flat=True)
    ) == {alice.pk, bob.pk, carol.pk}


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_a_new_assignee_is_told_but_not_when_they_take_it_themselves(trip_plan, bob, carol):
    checklist = new_list(bob, trip_plan)
    new_item(bob, checklist, "Tent", assignee_id=carol.pk)
    new_item(carol, checklist, "Stove", assignee_id=carol.pk)

    told = Notification.objects.filter(kind="plan.checklist_item_assigned")
    assert [(n.user_id, n.title) for n in told] == [(carol.pk, "Bob asked you: Tent")]
