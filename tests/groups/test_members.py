"""groups/{id}/members: listing, adding friends, roles, removing and leaving."""

import pytest

from planpal.groups import services
from planpal.groups.models import Group, Membership
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.factories import befriend_through_services

pytestmark = pytest.mark.django_db


def members_url(group, user=None) -> str:
    base = f"/api/v1/groups/{group.pk}/members"
    return base if user is None else f"{base}/{user.pk}"


def roles(group) -> dict[str, str]:
    return dict(Membership.objects.filter(group=group).values_list("user__username", "role"))


# ---------------------------------------------------------------------------- list


def test_members_see_everyone_owners_first_with_a_stream(client_for, trip, carol):
    body = client_for(carol).get(members_url(trip)).json()
    assert [(m["user"]["username"], m["role"]) for m in body["results"]] == [
        ("alice", "owner"),
        ("bob", "admin"),
        ("carol", "member"),
    ]
    head = Event.objects.filter(topic=f"group:{trip.pk}").count()
    assert body["stream"] == {"topic": f"group:{trip.pk}", "seq": head}


def test_non_members_cannot_list_members(client_for, anon, trip, dave):
    assert_error(client_for(dave).get(members_url(trip)), 404)
    assert_error(anon.get(members_url(trip)), 401)


# ---------------------------------------------------------------------------- add


# Real commits: the notifications come after each, from the fan-out (realtime.fanout).
@pytest.mark.django_db(transaction=True)
def test_the_owner_adds_a_friend_and_everyone_is_told(client_for, since, trip, alice, dave):
    on_group, on_dave = since(f"group:{trip.pk}"), since(f"user:{dave.pk}")
    response = client_for(alice).post(members_url(trip), {"user": dave.pk}, format="json")
    assert response.status_code == 201
    assert (response.json()["user"], response.json()["role"]) == (public(dave), "member")
    assert roles(trip)["dave"] == "member"

    [(_, name, payload)] = on_group()
    assert name == "group.member_added"
    assert payload["member"] == response.json()
    assert payload["group"] == {
        "id": trip.pk,
        "name": "Lisbon",
        "description": "Pastéis de nata",
        "owner": public(alice),
        "conversation": trip.conversation.pk,
        "created_at": payload["group"]["created_at"],
        "updated_at": payload["group"]["updated_at"],
    }
    # Dave's other devices learn about the group on his own topic, and he is notified.
    [(added, data), (note_name, note)] = [(name, data) for _, name, data in on_dave()]
    assert (added, data) == ("group.member_added", payload)
    assert note_name == "notification.created"
    assert (note["kind"], note["title"], note["body"], note["data"]) == (
        "group.member_added",
        "You joined Lisbon",
        "added by Alice",
        {"group_id": trip.pk},
    )


def test_an_admin_adds_their_own_friend(client_for, trip, bob, dave):
    assert (
        client_for(bob).post(members_url(trip), {"user": dave.pk}, format="json").status_code == 201
    )


def test_a_member_cannot_add_people(client_for, trip, carol, dave):
    befriend_through_services(carol, dave)
    assert_error(client_for(carol).post(members_url(trip), {"user": dave.pk}, format="json"), 403)
    assert "dave" not in roles(trip)


def test_a_non_member_cannot_add_people(client_for, trip, dave, carol):
    assert_error(client_for(dave).post(members_url(trip), {"user": carol.pk}, format="json"), 404)


def test_only_friends_can_be_added(client_for, since, trip, bob, carol):
    news = since(f"group:{trip.pk}")
    outsider = Membership.objects.get(group=trip, user=carol)
    outsider.delete()  # carol is alice's friend, not bob's
    response = client_for(bob).post(members_url(trip), {"user": carol.pk}, format="json")
    error = assert_error(response, 400, "not_a_friend")
    assert "user" in error["fields"]
    assert "carol" not in roles(trip)
    assert news() == []


def test_a_pending_request_is_not_a_friendship(client_for, trip, alice):
    from planpal.accounts import services as accounts
    from tests.conftest import make_user

    erin = make_user("erin")
    accounts.friend_request(actor=alice, user_id=erin.pk)
    response = client_for(alice).post(members_url(trip), {"user": erin.pk}, format="json")
    assert_error(response, 400, "not_a_friend")


def test_adding_a_member_twice_is_a_conflict(client_for, trip, alice, carol):
    response = client_for(alice).post(members_url(trip), {"user": carol.pk}, format="json")
    assert_error(response, 409, "already_member")
    assert Membership.objects.filter(group=trip).count() == 3


@pytest.mark.parametrize(
    "body, status",
    [
        ({}, 400),
        ({"user": "dave"}, 400),
        ({"user": None}, 400),
        ({"user": 2**64}, 400),
        ({"user": 99999}, 400),
    ],
)
def test_bad_member_input_adds_nobody(client_for, since, trip, alice, body, status):
    news = since(f"group:{trip.pk}")
    assert_error(client_for(alice).post(members_url(trip), body, format="json"), status)
    assert Membership.objects.filter(group=trip).count() == 3
    assert news() == []


# ---------------------------------------------------------------------------- roles


def test_owner_can_promote_member(client_for, since, trip, alice, carol):
    on_group, on_carol = since(f"group:{trip.pk}"), since(f"user:{carol.pk}")
    response = client_for(alice).patch(members_url(trip, carol), {"role": "admin"}, format="json")
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert roles(trip)["carol"] == "admin"
    change = {"group_id": trip.pk, "user_id": carol.pk, "role": "admin", "previous_role": "member"}
    assert [(n, p) for _, n, p in on_group()] == [("group.member_role_changed", change)]
    assert [(n, p) for _, n, p in on_carol()] == [("group.member_role_changed", change)]


@pytest.mark.parametrize("who, status", [("bob", 403), ("carol", 403), ("dave", 404)])
def test_only_owners_change_roles(client_for, trip, carol, who, status, request):
    actor = request.getfixturevalue(who)
    response = client_for(actor).patch(members_url(trip, carol), {"role": "admin"}, format="json")
    assert_error(response, status)
    assert roles(trip)["carol"] == "member"


def test_the_last_owner_cannot_be_demoted(client_for, since, trip, alice):
    news = since(f"group:{trip.pk}")
    response = client_for(alice).patch(members_url(trip, alice), {"role": "admin"}, format="json")
    assert_error(response, 409, "last_owner")
    assert roles(trip)["alice"] == "owner"
    assert news() == []


def test_an_owner_may_step_down_once_there_is_another_and_hands_over_the_group(
    client_for, since, trip, alice, bob
):
    client_for(alice).patch(members_url(trip, bob), {"role": "owner"}, format="json")
    news = since(f"group:{trip.pk}")
    response = client_for(alice).patch(members_url(trip, alice), {"role": "member"}, format="json")
    assert response.status_code == 200
    trip.refresh_from_db()
    assert trip.owner == bob
    assert [name for _, name, _ in news()] == ["group.member_role_changed", "group.updated"]
    assert news()[-1][2]["group"]["owner"] == public(bob)


def test_setting_the_same_role_changes_nothing(client_for, since, trip, alice, bob):
    news = since(f"group:{trip.pk}")
    response = client_for(alice).patch(members_url(trip, bob), {"role": "admin"}, format="json")
    assert (response.status_code, news()) == (200, [])


@pytest.mark.parametrize(
    "body", [{}, {"role": "king"}, {"role": None}, {"role": ["admin"]}, {"role": "a" * 10_000}]
)
def test_bad_roles_are_400(client_for, trip, alice, carol, body):
    assert_error(
        client_for(alice).patch(members_url(trip, carol), body, format="json"), 400, "invalid"
    )
    assert roles(trip)["carol"] == "member"


def test_changing_the_role_of_a_non_member_is_404(client_for, trip, alice, dave):
    response = client_for(alice).patch(members_url(trip, dave), {"role": "admin"}, format="json")
    assert_error(response, 404)


# ---------------------------------------------------------------------------- remove and leave


def test_the_owner_removes_a_member_and_everyone_is_told(client_for, since, trip, alice, carol):
    on_group, on_carol = since(f"group:{trip.pk}"), since(f"user:{carol.pk}")
    assert client_for(alice).delete(members_url(trip, carol)).status_code == 204
    assert "carol" not in roles(trip)
    removed = {"group_id": trip.pk, "user_id": carol.pk, "reason": "removed"}
    assert [(n, p) for _, n, p in on_group()] == [("group.member_removed", removed)]
    assert [(n, p) for _, n, p in on_carol()] == [("group.member_removed", removed)]
    assert_error(client_for(carol).get(f"/api/v1/groups/{trip.pk}"), 404)


def test_an_admin_removes_a_plain_member(client_for, trip, bob, carol):
    assert client_for(bob).delete(members_url(trip, carol)).status_code == 204


def test_admins_cannot_remove_owners_or_admins(client_for, trip, alice, bob, dave):
    services.member_add(actor=alice, group_id=trip.pk, user_id=dave.pk)
    services.member_set_role(actor=alice, group_id=trip.pk, user_id=dave.pk, role="admin")
    assert_error(client_for(bob).delete(members_url(trip, alice)), 403)
    assert_error(client_for(bob).delete(members_url(trip, dave)), 403)
    assert roles(trip) == {"alice": "owner", "bob": "admin", "carol": "member", "dave": "admin"}


def test_owners_can_remove_admins(client_for, trip, alice, bob):
    assert client_for(alice).delete(members_url(trip, bob)).status_code == 204


def test_members_cannot_remove_others(client_for, trip, carol, bob):
    assert_error(client_for(carol).delete(members_url(trip, bob)), 403)
    assert "bob" in roles(trip)


def test_anyone_may_leave(client_for, since, trip, carol):
    news = since(f"group:{trip.pk}")
    assert client_for(carol).delete(members_url(trip, carol)).status_code == 204
    assert "carol" not in roles(trip)
    assert news()[0][2] == {"group_id": trip.pk, "user_id": carol.pk, "reason": "left"}


def test_the_last_owner_cannot_leave(client_for, since, trip, alice):
    news = since(f"group:{trip.pk}")
    assert_error(client_for(alice).delete(members_url(trip, alice)), 409, "last_owner")
    assert roles(trip)["alice"] == "owner"
    assert news() == []


def test_a_lone_owner_cannot_leave_an_otherwise_empty_group(client_for, alice):
    group_id = (
        client_for(alice).post("/api/v1/groups", {"name": "Solo"}, format="json").json()["id"]
    )
    response = client_for(alice).delete(f"/api/v1/groups/{group_id}/members/{alice.pk}")
    assert_error(response, 409, "last_owner")
    assert Group.objects.filter(pk=group_id).exists()


def test_an_owner_leaving_hands_the_group_to_another_owner(client_for, trip, alice, bob):
    services.member_set_role(actor=alice, group_id=trip.pk, user_id=bob.pk, role="owner")
    assert client_for(alice).delete(members_url(trip, alice)).status_code == 204
    trip.refresh_from_db()
    assert trip.owner == bob
    assert client_for(bob).get(f"/api/v1/groups/{trip.pk}").json()["owner"] == public(bob)


def test_removing_a_non_member_is_404(client_for, trip, alice, dave):
    assert_error(client_for(alice).delete(members_url(trip, dave)), 404)


def test_outsiders_cannot_remove_anyone(client_for, anon, trip, dave, carol):
    assert_error(client_for(dave).delete(members_url(trip, carol)), 404)
    assert_error(anon.delete(members_url(trip, carol)), 401)
    assert "carol" in roles(trip)


# ---------------------------------------------------------------------------- sync


def test_member_events_bring_a_stale_list_up_to_date(client_for, trip, alice, bob, carol, dave):
    """What a client holds plus the events since its stream position equals a fresh fetch."""
    stale = client_for(carol).get(members_url(trip)).json()

    services.member_add(actor=bob, group_id=trip.pk, user_id=dave.pk)
    services.member_set_role(actor=alice, group_id=trip.pk, user_id=dave.pk, role="admin")
    services.member_remove(actor=alice, group_id=trip.pk, user_id=bob.pk)

    members = {m["user"]["id"]: m for m in stale["results"]}
    log = Event.objects.filter(topic=stale["stream"]["topic"], seq__gt=stale["stream"]["seq"])
    for event in log.order_by("seq"):
        data = event.payload
        if event.name == "group.member_added":
            members[data["member"]["user"]["id"]] = data["member"]
        elif event.name == "group.member_role_changed":
            members[data["user_id"]]["role"] = data["role"]
        elif event.name == "group.member_removed":
            del members[data["user_id"]]

    fresh = client_for(carol).get(members_url(trip)).json()["results"]
    assert sorted(members.values(), key=lambda m: m["user"]["id"]) == sorted(
        fresh, key=lambda m: m["user"]["id"]
    )
