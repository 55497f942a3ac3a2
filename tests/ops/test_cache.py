"""Cached API snapshots are never stale: a read right after a write shows it, whichever way the
write happened, and per-viewer fields are never shared between viewers."""

import pytest

from planpal.core import metrics
from planpal.notifications import services as notification_services
from planpal.plans.models import Activity
from tests.conftest import trip  # noqa: F401 - the shared Lisbon trip, not ops' end-to-end one
from tests.plans.factories import activity_url, at, iso, make_activity, make_plan, plan_url

pytestmark = pytest.mark.django_db(transaction=True)


def hits(kind: str) -> float:
    return metrics.cache_requests.labels(kind, "hit")._value.get()


def titles(detail: dict) -> list[str]:
    return [activity["title"] for activity in detail["activities"]]


def test_a_cached_plan_detail_shows_an_activity_change_at_once(as_, trip_plan, bob):
    coffee = make_activity(bob, trip_plan, start_hour=2, title="Coffee")
    first = as_("alice").get(plan_url(trip_plan)).json()
    before = hits("plan")
    assert as_("alice").get(plan_url(trip_plan)).json() == first  # served from the cache
    assert hits("plan") == before + 1

    changed = as_("bob").patch(
        activity_url(coffee), {"title": "Espresso", "version": coffee.version}, format="json"
    )
    assert changed.status_code == 200
    detail = as_("alice").get(plan_url(trip_plan)).json()
    assert titles(detail) == ["Espresso"]
    assert detail["activities"][0]["version"] == coffee.version + 1
    assert detail["stream"]["seq"] == first["stream"]["seq"] + 1

    as_("carol").post(activity_url(coffee, "/complete"))
    detail = as_("alice").get(plan_url(trip_plan)).json()
    assert detail["activities"][0]["completed_by"]["username"] == "carol"

    body = {
        "title": "Tram 28",
        "starts_at": iso(at(trip_plan, 5)),
        "ends_at": iso(at(trip_plan, 6)),
    }
    assert (
        as_("bob").post(plan_url(trip_plan, "/activities"), body, format="json").status_code == 201
    )
    assert titles(as_("alice").get(plan_url(trip_plan)).json()) == ["Espresso", "Tram 28"]
    assert as_("bob").delete(activity_url(coffee)).status_code == 204
    assert titles(as_("alice").get(plan_url(trip_plan)).json()) == ["Tram 28"]


def test_viewer_fields_are_never_shared(as_, trip, alice):  # noqa: F811
    plan = make_plan(alice, group=trip, title="Sintra")
    assert as_("alice").get(plan_url(plan)).json()["can_manage"] is True
    assert as_("bob").get(plan_url(plan)).json()["can_manage"] is False
    assert as_("carol").get(plan_url(plan)).json()["can_manage"] is True  # an admin
    assert as_("dave").get(plan_url(plan)).status_code == 404  # cached or not: not a member
    listed = {p["id"]: p for p in as_("bob").get("/api/v1/plans").json()["results"]}
    assert listed[plan.pk]["can_manage"] is False


def test_writes_that_emit_no_event_are_seen_too(as_, trip_plan, bob, alice):
    coffee = make_activity(bob, trip_plan, start_hour=2, title="Coffee")
    as_("alice").get(plan_url(trip_plan))
    # A data fix in the shell: no service, no event; the post_save revision covers it.
    coffee = Activity.objects.get(pk=coffee.pk)
    coffee.title = "Galão"
    coffee.save()
    assert titles(as_("alice").get(plan_url(trip_plan)).json()) == ["Galão"]
    # A profile edit emits nothing either, yet the creator's name in the plan follows it.
    response = as_("bob").patch("/api/v1/me", {"display_name": "Bob the Planner"}, format="json")
    assert response.status_code == 200
    detail = as_("alice").get(plan_url(trip_plan)).json()
    assert detail["creator"]["display_name"] == "Bob the Planner"


def test_plan_list_items_follow_changes(as_, trip_plan, bob):
    [item] = as_("alice").get("/api/v1/plans").json()["results"]
    assert (item["title"], item["activity_count"]) == (trip_plan.title, 0)
    response = as_("bob").patch(
        plan_url(trip_plan),
        {"title": "Lisbon & Sintra", "version": trip_plan.version},
        format="json",
    )
    assert response.status_code == 200
    make_activity(bob, trip_plan, start_hour=3)
    [item] = as_("alice").get("/api/v1/plans").json()["results"]
    assert (item["title"], item["activity_count"]) == ("Lisbon & Sintra", 1)
    assert item["stream"]["seq"] == response.json()["stream"]["seq"] + 1


def test_group_summary_follows_renames_and_members(as_, trip, dave, alice):  # noqa: F811
    url = f"/api/v1/groups/{trip.pk}"
    first = as_("bob").get(url).json()
    assert (first["name"], first["my_role"]) == ("Lisbon trip", "member")
    assert as_("alice").get(url).json()["my_role"] == "owner"
    as_("alice").patch(url, {"name": "Lisboa"}, format="json")
    from tests.factories import befriend

    befriend(alice, dave)
    as_("alice").post(f"{url}/members", {"user": dave.pk}, format="json")
    summary = as_("bob").get(url).json()
    assert (summary["name"], summary["member_count"]) == ("Lisboa", first["member_count"] + 1)


def test_unread_count_follows_new_and_read_notifications(as_, bob):
    url = "/api/v1/notifications/unread-count"
    assert as_("bob").get(url).json()["count"] == 0
    note = notification_services.notification_create(
        user=bob, kind="group.member_added", title="Hi"
    )
    assert as_("bob").get(url).json()["count"] == 1
    as_("bob").post(f"/api/v1/notifications/{note.pk}/read")
    assert as_("bob").get(url).json()["count"] == 0
