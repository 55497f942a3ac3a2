"""GET/POST groups and GET/PATCH/DELETE groups/{id}."""

import pytest

from planpal.chat.models import Conversation
from planpal.groups.models import Group, Membership
from planpal.plans.models import Plan
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.factories import befriend_through_services, insert_plan

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/groups"


def url(group, suffix: str = "") -> str:
    return f"{GROUPS}/{group.pk}{suffix}"


# ---------------------------------------------------------------------------- create


def test_creating_a_group_makes_me_its_owner_with_a_conversation(client_for, events, alice):
    response = client_for(alice).post(
        GROUPS, {"name": "Lisbon", "description": "May"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    group = Group.objects.get()
    conversation = Conversation.objects.get(group=group)
    assert body == {
        "id": group.pk,
        "name": "Lisbon",
        "description": "May",
        "owner": public(alice),
        "conversation": conversation.pk,
        "my_role": "owner",
        "member_count": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "stream": {"topic": f"group:{group.pk}", "seq": 1},
    }
    assert Membership.objects.get(group=group).user == alice
    [(_, name, payload)] = events(f"user:{alice.pk}")
    assert name == "group.member_added"
    assert payload["group"]["id"] == group.pk
    assert payload["member"]["user"] == public(alice)
    assert payload["member"]["role"] == "owner"


def test_the_description_is_optional(client_for, alice):
    response = client_for(alice).post(GROUPS, {"name": "Porto"}, format="json")
    assert (response.status_code, response.json()["description"]) == (201, "")


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"name": ["Lisbon"]}, "name"),
        ({"name": {"x": 1}}, "name"),
        ({"name": "n" * 10_000}, "name"),
        ({"name": "ok", "description": "d" * 10_000}, "description"),
        ({"name": "ok", "description": ["d"]}, "description"),
        ({"name": "nul\x00byte"}, "name"),
    ],
)
def test_bad_group_input_is_400_and_creates_nothing(client_for, alice, body, field):
    error = assert_error(client_for(alice).post(GROUPS, body, format="json"), 400, "invalid")
    assert field in error["fields"]
    assert not Group.objects.exists()
    assert not Conversation.objects.exists()
    assert not Event.objects.exists()


def test_a_non_object_body_is_400(client_for, alice):
    assert_error(client_for(alice).post(GROUPS, ["Lisbon"], format="json"), 400)
    assert_error(client_for(alice).post(GROUPS, "nope", content_type="application/json"), 400)
    assert not Group.objects.exists()


def test_groups_need_authentication(anon, trip):
    assert_error(anon.get(GROUPS), 401)
    assert_error(anon.post(GROUPS, {"name": "x"}, format="json"), 401)
    assert_error(anon.get(url(trip)), 401)
    assert_error(anon.patch(url(trip), {"name": "x"}, format="json"), 401)
    assert_error(anon.delete(url(trip)), 401)
    assert Group.objects.count() == 1


# ---------------------------------------------------------------------------- read


def test_i_list_only_my_groups_with_my_role_and_stream(client_for, trip, alice, bob, dave):
    client_for(dave).post(GROUPS, {"name": "Dave's"}, format="json")
    body = client_for(bob).get(GROUPS).json()
    assert body["count"] == 1
    [group] = body["results"]
    assert (group["id"], group["my_role"], group["member_count"]) == (trip.pk, "admin", 3)
    head = Event.objects.filter(topic=f"group:{trip.pk}").count()
    assert group["stream"] == {"topic": f"group:{trip.pk}", "seq": head}


def test_the_list_is_paginated_by_name(client_for, alice):
    for name in ["c", "a", "b"]:
        client_for(alice).post(GROUPS, {"name": name}, format="json")
    body = client_for(alice).get(GROUPS, {"limit": 2}).json()
    assert body["count"] == 3
    assert [group["name"] for group in body["results"]] == ["a", "b"]
    rest = client_for(alice).get(GROUPS, {"limit": 2, "offset": 2}).json()
    assert [group["name"] for group in rest["results"]] == ["c"]


def test_a_member_sees_the_group(client_for, trip, carol):
    body = client_for(carol).get(url(trip)).json()
    assert (body["name"], body["my_role"], body["member_count"]) == ("Lisbon", "member", 3)


def test_a_non_member_gets_404_not_403(client_for, trip, dave):
    assert_error(client_for(dave).get(url(trip)), 404, "not_found")


@pytest.mark.parametrize("path", ["/999999", f"/{10**30}", "/abc", "/-1"])
def test_unknown_group_ids_are_404(client_for, alice, path):
    assert_error(client_for(alice).get(GROUPS + path), 404)


# ---------------------------------------------------------------------------- update


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owners_and_admins_can_rename_the_group(client_for, since, trip, who, request):
    news = since(f"group:{trip.pk}")
    user = request.getfixturevalue(who)
    response = client_for(user).patch(url(trip), {"name": "Lisboa"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Lisboa"
    assert response.json()["description"] == "Pastéis de nata"
    [(seq, name, payload)] = news()
    assert name == "group.updated"
    assert response.json()["stream"]["seq"] == seq
    assert payload["group"]["name"] == "Lisboa"
    assert payload["group"]["owner"]["id"] == trip.owner_id


def test_a_member_cannot_edit_the_group(client_for, trip, carol):
    assert_error(
        client_for(carol).patch(url(trip), {"name": "Mine"}, format="json"), 403, "forbidden"
    )
    trip.refresh_from_db()
    assert trip.name == "Lisbon"


def test_a_non_member_cannot_even_learn_the_group_exists(client_for, trip, dave):
    assert_error(client_for(dave).patch(url(trip), {"name": "Mine"}, format="json"), 404)


def test_an_unchanged_patch_emits_nothing(client_for, since, trip, alice):
    news = since(f"group:{trip.pk}")
    response = client_for(alice).patch(url(trip), {"name": "Lisbon"}, format="json")
    assert response.status_code == 200
    assert news() == []


@pytest.mark.parametrize(
    "body", [{"name": ""}, {"name": None}, {"name": "n" * 10_000}, {"description": ["x"]}]
)
def test_bad_updates_are_400_and_change_nothing(client_for, since, trip, alice, body):
    news = since(f"group:{trip.pk}")
    assert_error(client_for(alice).patch(url(trip), body, format="json"), 400, "invalid")
    trip.refresh_from_db()
    assert (trip.name, trip.description) == ("Lisbon", "Pastéis de nata")
    assert news() == []


# ---------------------------------------------------------------------------- delete


def test_the_owner_deletes_the_group_and_every_member_is_told(
    client_for, events, trip, alice, bob, carol
):
    conversation_id = trip.conversation.pk
    assert client_for(alice).delete(url(trip)).status_code == 204
    assert not Group.objects.exists()
    assert not Conversation.objects.filter(pk=conversation_id).exists()
    assert events(f"group:{trip.pk}")[-1][1:] == ("group.deleted", {"group_id": trip.pk})
    for user in (alice, bob, carol):
        assert events(f"user:{user.pk}")[-1][1:] == ("group.deleted", {"group_id": trip.pk})
    assert_error(client_for(alice).get(url(trip)), 404)


def test_deleting_a_group_deletes_its_plans_and_tells_their_followers(
    client_for, events, trip, alice
):
    pytest.importorskip("planpal.plans.events").PlanDeleted  # noqa: B018
    plan = insert_plan(creator=alice, group=trip)
    assert client_for(alice).delete(url(trip)).status_code == 204
    assert not Plan.objects.exists()
    assert events(f"plan:{plan.pk}")[-1][1:] == ("plan.deleted", {"plan_id": plan.pk})


@pytest.mark.parametrize("who, status", [("bob", 403), ("carol", 403), ("dave", 404)])
def test_only_owners_delete(client_for, trip, who, status, request):
    assert_error(client_for(request.getfixturevalue(who)).delete(url(trip)), status)
    assert Group.objects.filter(pk=trip.pk).exists()


def test_a_second_owner_may_delete(client_for, trip, alice, bob):
    client_for(alice).patch(url(trip, f"/members/{bob.pk}"), {"role": "owner"}, format="json")
    assert client_for(bob).delete(url(trip)).status_code == 204


def test_group_ids_never_collide_with_a_friends_group(client_for, alice, bob):
    befriend_through_services(alice, bob)
    mine = client_for(alice).post(GROUPS, {"name": "A"}, format="json").json()
    theirs = client_for(bob).post(GROUPS, {"name": "B"}, format="json").json()
    assert_error(client_for(alice).get(f"{GROUPS}/{theirs['id']}"), 404)
    assert client_for(alice).get(f"{GROUPS}/{mine['id']}").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
        ("limit=" + "9" * 40, "limit"),
    ],
)
def test_a_bad_page_parameter_is_400_naming_it(client_for, alice, query, field):
    """Not a quiet fallback to the default page: the client asked for something else."""
    error = assert_error(client_for(alice).get(f"{GROUPS}?{query}"), 400, "invalid")
    assert set(error["fields"]) == {field}


def test_a_limit_above_the_maximum_means_the_maximum(client_for, alice):
    client_for(alice).post(GROUPS, {"name": "Porto"}, format="json")
    response = client_for(alice).get(f"{GROUPS}?limit=5000&offset=0")
    assert response.status_code == 200
    assert [group["name"] for group in response.json()["results"]] == ["Porto"]
