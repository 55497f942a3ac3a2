"""Who may call what, endpoint by endpoint: anonymous → 401, non-member → 404 (ids do not leak),
member → allowed for reads and activity writes, manager-only actions → 403 for plain members."""

import pytest
from django.contrib.auth.models import AnonymousUser

from planpal.plans import selectors
from planpal.plans.apps import plans_followed
from planpal.plans.models import Plan
from tests.conftest import assert_error
from tests.plans.factories import (
    activity_url,
    at,
    iso,
    make_activity,
    make_plan,
    plan_url,
)


def endpoints(plan, activity, user_id):
    """(method, url, body) for every route of the plans app, with well-formed bodies."""
    new_activity = {"title": "x", "starts_at": iso(at(plan, 5)), "ends_at": iso(at(plan, 6))}
    return [
        ("get", "/api/v1/plans", None),
        ("post", "/api/v1/plans", {"title": "x"}),
        ("get", plan_url(plan), None),
        ("patch", plan_url(plan), {"title": "x", "version": 1}),
        ("delete", plan_url(plan), None),
        ("post", plan_url(plan, "/start"), None),
        ("post", plan_url(plan, "/complete"), None),
        ("post", plan_url(plan, "/cancel"), None),
        ("post", plan_url(plan, "/participants"), {"user": user_id}),
        ("delete", plan_url(plan, f"/participants/{user_id}"), None),
        ("get", plan_url(plan, "/activities"), None),
        ("post", plan_url(plan, "/activities"), new_activity),
        ("post", plan_url(plan, "/activities/reorder"), {"order": [activity.pk]}),
        ("get", activity_url(activity), None),
        ("patch", activity_url(activity), {"title": "x", "version": 1}),
        ("delete", activity_url(activity), None),
        ("post", activity_url(activity, "/complete"), None),
        ("post", activity_url(activity, "/reopen"), None),
    ]


def call(client, method, url, body):
    return (
        getattr(client, method)(url, body, format="json") if body else getattr(client, method)(url)
    )


@pytest.fixture
def activity(trip_plan, bob):
    return make_activity(bob, trip_plan, start_hour=1)


def test_anonymous_gets_401_everywhere(anon, trip_plan, activity, bob):
    for method, url, body in endpoints(trip_plan, activity, bob.pk):
        assert_error(call(anon, method, url, body), 401, "not_authenticated")
    trip_plan.refresh_from_db()
    assert trip_plan.version == 1


def test_outsider_gets_404_on_every_plan_route(as_, trip_plan, activity, bob):
    for method, url, body in endpoints(trip_plan, activity, bob.pk)[2:]:
        assert_error(call(as_("dave"), method, url, body), 404, "not_found")
    trip_plan.refresh_from_db()
    activity.refresh_from_db()
    assert (trip_plan.version, activity.version) == (1, 1)


def test_outsider_and_unknown_ids_get_the_same_answer(as_, trip_plan, activity):
    hidden = as_("dave").get(plan_url(trip_plan)).json()
    missing = as_("dave").get(plan_url(trip_plan.pk + 1000)).json()

    assert hidden == missing


@pytest.mark.parametrize("manager", ["alice", "carol"])  # group owner, group admin
def test_group_managers_manage_a_plan_a_member_created(as_, trip_plan, manager):
    assert as_(manager).post(plan_url(trip_plan, "/start")).status_code == 200
    assert as_(manager).delete(plan_url(trip_plan)).status_code == 204


def test_plain_member_manages_only_their_own_plans(as_, trip, trip_plan, alice, bob):
    others = make_plan(alice, group=trip, title="Alice's")
    activity = make_activity(alice, others, start_hour=1)
    member = as_("bob")

    assert member.get(plan_url(others)).json()["can_manage"] is False
    for action in ("start", "cancel"):
        assert_error(member.post(plan_url(others, f"/{action}")), 403, "forbidden")
    assert_error(member.delete(plan_url(others)), 403, "forbidden")
    # ... but plans are collaborative: any member edits their activities.
    response = member.patch(activity_url(activity), {"title": "Mine", "version": 1}, format="json")
    assert response.status_code == 200
    body = {"title": "Tea", "starts_at": iso(at(others, 5)), "ends_at": iso(at(others, 6))}
    assert member.post(plan_url(others, "/activities"), body, format="json").status_code == 201
    assert member.post(activity_url(activity, "/complete")).status_code == 200
    # and manage the plan they created.
    assert member.get(plan_url(trip_plan)).json()["can_manage"] is True


def test_creator_who_left_the_group_no_longer_manages(trip, trip_plan, bob):
    trip.memberships.filter(user=bob).delete()

    assert selectors.can_manage_plan(bob, trip_plan) is False


# ---------------------------------------------------------------------------- selectors


def test_plans_for_user_lists_each_visible_plan_once(trip, trip_plan, personal_plan, alice, bob):
    """bob sees the group plan through the group and alice's personal plan as a participant."""
    ids = list(selectors.plans_for_user(user=bob).values_list("pk", flat=True))

    assert sorted(ids) == sorted([trip_plan.pk, personal_plan.pk])
    assert list(selectors.plans_for_user(user=AnonymousUser())) == []


def test_plan_member_ids_of_a_group_plan_follow_the_group(trip, trip_plan, alice, bob, carol):
    assert sorted(selectors.plan_member_ids(plan=trip_plan)) == sorted([alice.pk, bob.pk, carol.pk])


def test_the_plan_topic_follows_plan_membership(trip_plan, personal_plan, bob, dave):
    plans = [trip_plan.pk, personal_plan.pk, 123456]
    asked = [(user.pk, plan) for user in (bob, dave) for plan in plans]
    assert set(plans_followed(asked)) == {(bob.pk, trip_plan.pk), (bob.pk, personal_plan.pk)}
    assert plans_followed([(dave.pk, plan) for plan in plans]) == []


def test_admin_shows_plans_read_only(client, trip_plan, bob, django_user_model):
    from planpal.plans.models import Activity

    make_activity(bob, trip_plan, start_hour=1)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)

    assert client.get("/admin/plans/plan/").status_code == 200
    assert client.get(f"/admin/plans/plan/{trip_plan.pk}/change/").status_code == 200
    assert client.get("/admin/plans/activity/").status_code == 200
    assert client.get("/admin/plans/plan/add/").status_code == 403
    response = client.post(f"/admin/plans/plan/{trip_plan.pk}/change/", {"title": "Hacked"})
    assert response.status_code == 403
    assert client.post(f"/admin/plans/plan/{trip_plan.pk}/delete/").status_code == 403
    assert Plan.objects.get(pk=trip_plan.pk).title == "Lisbon"
    assert Activity.objects.count() == 1


def test_openapi_schema_documents_every_plan_route(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}",
        "/api/v1/plans/{plan_id}/start",
        "/api/v1/plans/{plan_id}/complete",
        "/api/v1/plans/{plan_id}/cancel",
        "/api/v1/plans/{plan_id}/participants",
        "/api/v1/plans/{plan_id}/participants/{user_id}",
        "/api/v1/plans/{plan_id}/activities",
        "/api/v1/plans/{plan_id}/activities/reorder",
        "/api/v1/activities/{activity_id}",
        "/api/v1/activities/{activity_id}/complete",
        "/api/v1/activities/{activity_id}/reopen",
    ]:
        assert path in paths, path
    list_schema = paths["/api/v1/plans"]["get"]["responses"]["200"]["content"]
    assert "Paginated" in str(list_schema)


def test_the_plan_topic_follows_the_group_not_the_creator_once_the_plan_is_in_a_group(
    trip_plan, personal_plan, alice, bob, carol
):
    from planpal.groups.models import Membership

    Membership.objects.filter(group_id=trip_plan.group_id, user=bob).delete()
    plans = [trip_plan.pk, personal_plan.pk]

    def followed(user, plan_ids):
        return {plan for _, plan in plans_followed([(user.pk, plan) for plan in plan_ids])}

    assert followed(alice, plans) == {trip_plan.pk, personal_plan.pk}
    assert followed(bob, plans) == {personal_plan.pk}  # a participant, no longer a member
    assert followed(carol, [personal_plan.pk]) == set()  # a friend, not taking part
    assert plans_followed([]) == []
