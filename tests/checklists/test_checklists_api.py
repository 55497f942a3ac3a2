"""Checklists over REST: shared and personal lists, items added, assigned, ticked, reordered;
who may, what bad input gets; every change one event, repeats none."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planpal.checklists import services
from planpal.checklists.models import Checklist, Item
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.plans.factories import set_status

pytestmark = pytest.mark.django_db


def lists_url(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/checklists"


def item_url(item_id, suffix="") -> str:
    return f"/api/v1/checklist-items/{item_id}{suffix}"


def new_list(actor, plan, **fields) -> Checklist:
    checklist, _ = services.checklist_create(
        actor=actor, plan_id=plan.pk, title=fields.pop("title", "Packing"), **fields
    )
    return checklist


def new_item(actor, checklist, text="Tent", **fields) -> Item:
    return services.item_add(actor=actor, checklist_id=checklist.pk, text=text, **fields)[0]


def test_a_member_starts_a_shared_list_and_adds_items(as_, trip_plan, bob, carol):
    created = as_("bob").post(lists_url(trip_plan), {"title": "Gear"}, format="json")
    assert created.status_code == 201, created.content
    checklist = created.json()
    assert checklist["stream"] == {
        "topic": f"plan:{trip_plan.pk}",
        "seq": checklist["stream"]["seq"],
    }

    url = f"/api/v1/checklists/{checklist['id']}/items"
    due = (timezone.now() + timedelta(days=3)).isoformat()
    item = as_("bob").post(
        url, {"text": "Tent", "assignee": carol.pk, "due_at": due}, format="json"
    )

    assert item.status_code == 201, item.content
    assert item.json()["assignee"] == public(carol) and item.json()["done_at"] is None
    body = as_("alice").get(lists_url(trip_plan)).json()
    assert [c["title"] for c in body["results"]] == ["Gear"]
    assert [i["text"] for i in body["results"][0]["items"]] == ["Tent"]


def test_a_personal_list_from_a_template_is_its_owners_alone(as_, trip_plan, bob, alice):
    response = as_("bob").post(
        lists_url(trip_plan), {"personal": True, "template": "beach"}, format="json"
    )

    assert response.status_code == 201, response.content
    mine = response.json()
    assert mine["title"] == "Beach bag" and mine["personal"] is True
    assert len(mine["items"]) == 6 and mine["stream"]["topic"] == f"user:{bob.pk}"
    assert as_("alice").get(lists_url(trip_plan)).json()["results"] == []
    assert_error(as_("alice").get(f"/api/v1/checklists/{mine['id']}"), 404)
    assert_error(as_("alice").post(item_url(mine["items"][0]["id"], "/tick")), 404)
    assert Event.objects.get(name="plan.checklist_created").topic == f"user:{bob.pk}"
    assert not Event.objects.filter(topic=f"plan:{trip_plan.pk}", name__contains="checklist")


def test_ticking_is_idempotent_and_says_who(as_, trip_plan, bob, carol):
    item = new_item(bob, new_list(bob, trip_plan))

    first = as_("carol").post(item_url(item.pk, "/tick"))
    again = as_("carol").post(item_url(item.pk, "/tick"))
    untick = as_("alice").post(item_url(item.pk, "/untick"))

    assert first.json()["done_by"] == public(carol) and again.json() == first.json()
    assert untick.json()["done_at"] is None and untick.json()["done_by"] is None
    names = list(Event.objects.filter(name__contains="item_").order_by("seq").values_list("name"))
    assert [n for (n,) in names] == [
        "plan.checklist_item_added",
        "plan.checklist_item_ticked",
        "plan.checklist_item_unticked",
    ]


def test_reorder_lists_every_item_once(as_, trip_plan, bob):
    checklist = new_list(bob, trip_plan)
    a, b, c = (new_item(bob, checklist, text) for text in "abc")
    url = f"/api/v1/checklists/{checklist.pk}/reorder"

    assert_error(as_("bob").post(url, {"order": [a.pk, b.pk]}, format="json"), 400)
    assert_error(as_("bob").post(url, {"order": [a.pk, a.pk, b.pk]}, format="json"), 400)
    moved = as_("bob").post(url, {"order": [c.pk, a.pk, b.pk]}, format="json").json()

    assert [i["text"] for i in moved["items"]] == ["c", "a", "b"]
    assert Event.objects.filter(name="plan.checklist_reordered").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": 5},
        {"text": "x" * 201},
        {"text": "a", "assignee": 0},
        {"text": "a", "due_at": "soon"},
        {"text": "a", "done": True},
    ],
)
def test_bad_items_are_refused_and_nothing_is_added(as_, trip_plan, bob, body):
    checklist = new_list(bob, trip_plan)

    assert_error(
        as_("bob").post(f"/api/v1/checklists/{checklist.pk}/items", body, format="json"), 400
    )
    assert not Item.objects.exists()


def test_only_plan_members_can_be_assigned(as_, trip_plan, bob, dave):
    checklist = new_list(bob, trip_plan)
    url = f"/api/v1/checklists/{checklist.pk}/items"

    error = assert_error(
        as_("bob").post(url, {"text": "a", "assignee": dave.pk}, format="json"), 400
    )
    assert "assignee" in error["fields"]


def test_outsiders_see_nothing(as_, trip_plan, bob):
    item = new_item(bob, new_list(bob, trip_plan))

    assert_error(as_("dave").get(lists_url(trip_plan)), 404)
    assert_error(as_("dave").post(lists_url(trip_plan), {"title": "x"}, format="json"), 404)
    assert_error(as_("dave").get(f"/api/v1/checklists/{item.checklist_id}"), 404)
    assert_error(as_("dave").post(item_url(item.pk, "/tick")), 404)
    assert_error(as_("dave").patch(item_url(item.pk), {"text": "x"}, format="json"), 404)


def test_a_stale_edit_gets_the_current_item(as_, trip_plan, bob):
    item = new_item(bob, new_list(bob, trip_plan))
    services.item_update(actor=bob, item_id=item.pk, text="Big tent")

    error = assert_error(
        as_("alice").patch(item_url(item.pk), {"text": "Small tent", "version": 1}, format="json"),
        409,
        "version_conflict",
    )
    assert error["current"]["text"] == "Big tent" and error["current"]["version"] == 2


def test_a_closed_plans_lists_do_not_change(as_, trip_plan, bob):
    item = new_item(bob, new_list(bob, trip_plan))
    set_status(trip_plan, "completed")

    assert_error(as_("bob").post(item_url(item.pk, "/tick")), 409, "plan_closed")
    assert_error(as_("bob").post(lists_url(trip_plan), {"title": "x"}, format="json"), 409)


def test_only_the_creator_or_a_manager_deletes_a_shared_list(as_, trip, bob, alice, carol):
    from tests.plans.factories import make_plan

    plan = make_plan(alice, group=trip)
    checklist = new_list(carol, plan)
    other = new_list(alice, plan)

    assert_error(as_("bob").delete(f"/api/v1/checklists/{checklist.pk}"), 403)
    assert as_("carol").delete(f"/api/v1/checklists/{checklist.pk}").status_code == 204
    assert as_("alice").delete(f"/api/v1/checklists/{other.pk}").status_code == 204
    assert not Checklist.objects.exists()


def test_a_retried_add_makes_one_item(as_, trip_plan, bob):
    checklist = new_list(bob, trip_plan)
    url = f"/api/v1/checklists/{checklist.pk}/items"

    first = as_("bob").post(url, {"text": "Tent"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = as_("bob").post(url, {"text": "Tent"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (first.status_code, again.status_code) == (201, 200)
    assert Item.objects.count() == 1
