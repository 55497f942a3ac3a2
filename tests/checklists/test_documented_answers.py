"""Every answer the checklist endpoints give is documented in the OpenAPI schema (the fuzz test
found a stale item edit's 409 undocumented; a closed plan's lists answer 409 to every write)."""

import pytest

from planpal.checklists import services
from tests.conftest import assert_error
from tests.plans.factories import set_status
from tests.schema import api_schema, assert_documented

pytestmark = pytest.mark.django_db


def test_a_stale_item_edit_is_documented(as_, trip_plan, bob):
    checklist, _ = services.checklist_create(actor=bob, plan_id=trip_plan.pk, title="Gear")
    item, _ = services.item_add(actor=bob, checklist_id=checklist.pk, text="Tent")
    services.item_update(actor=bob, item_id=item.pk, text="Big tent")

    response = as_("alice").patch(
        f"/api/v1/checklist-items/{item.pk}", {"text": "Small tent", "version": 1}, format="json"
    )

    assert_error(response, 409, "version_conflict")
    assert_documented(response)


def test_every_write_to_a_closed_plans_lists_is_documented(as_, trip_plan, bob):
    checklist, _ = services.checklist_create(actor=bob, plan_id=trip_plan.pk, title="Gear")
    item, _ = services.item_add(actor=bob, checklist_id=checklist.pk, text="Tent")
    set_status(trip_plan, "completed")
    bob_, lists, items = as_("bob"), f"/api/v1/checklists/{checklist.pk}", "/api/v1/checklist-items"
    answers = [
        bob_.post(f"/api/v1/plans/{trip_plan.pk}/checklists", {"title": "More"}, format="json"),
        bob_.patch(lists, {"title": "Kit"}, format="json"),
        bob_.post(f"{lists}/items", {"text": "Stove"}, format="json"),
        bob_.post(f"{lists}/reorder", {"order": [item.pk]}, format="json"),
        bob_.patch(f"{items}/{item.pk}", {"text": "Stove"}, format="json"),
        bob_.post(f"{items}/{item.pk}/tick"),
        bob_.post(f"{items}/{item.pk}/untick"),
        bob_.delete(f"{items}/{item.pk}"),
        bob_.delete(lists),
    ]

    for response in answers:
        assert_error(response, 409, "plan_closed")
        assert_documented(response)


def test_reordering_items_documents_the_items_limit_not_the_activities():
    def order_schema(path: str) -> dict:
        body = api_schema()["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
        return api_schema()["components"]["schemas"][ref]["properties"]["order"]

    items = order_schema("/api/v1/checklists/{checklist_id}/reorder")
    activities = order_schema("/api/v1/plans/{plan_id}/activities/reorder")

    assert (items["maxItems"], activities["maxItems"]) == (300, 500)
