"""Personal plans: POST plans/{id}/participants {user}, DELETE plans/{id}/participants/{user_id}.
In `personal_plan` alice is the creator, bob takes part, carol is alice's friend but not in it."""

import pytest

from planpal.accounts.models import Friendship
from planpal.plans.selectors import plan_member_ids
from tests.conftest import assert_error
from tests.factories import befriend
from tests.plans.factories import make_plan, plan_topic, plan_url


def add(client, plan, user_id):
    return client.post(plan_url(plan, "/participants"), {"user": user_id}, format="json")


def remove(client, plan, user_id):
    return client.delete(plan_url(plan, f"/participants/{user_id}"))


def test_creator_adds_a_friend(as_, personal_plan, alice, bob, carol, events):
    response = add(as_("alice"), personal_plan, carol.pk)

    assert response.status_code == 201, response.content
    participants = [user["id"] for user in response.json()["participants"]]
    assert participants == [bob.pk, carol.pk]
    assert plan_member_ids(plan=personal_plan) == [alice.pk, bob.pk, carol.pk]
    joined = {
        "plan_id": personal_plan.pk,
        "user": {"id": carol.pk, "username": "carol", "display_name": "Carol", "avatar_url": ""},
    }
    assert events(plan_topic(personal_plan))[-1][1:] == ("plan.member_joined", joined)
    # carol's devices learn about the plan on her own topic: she cannot follow plan:<id> yet.
    assert events(f"user:{carol.pk}") == [(1, "plan.member_joined", joined)]


def test_new_participant_sees_the_plan(as_, personal_plan, carol):
    assert_error(as_("carol").get(plan_url(personal_plan)), 404)

    add(as_("alice"), personal_plan, carol.pk)

    assert as_("carol").get(plan_url(personal_plan)).status_code == 200


@pytest.mark.parametrize("status", [Friendship.Status.PENDING, Friendship.Status.BLOCKED, None])
def test_only_accepted_friends_can_be_added(as_, personal_plan, alice, dave, status):
    if status is not None:
        befriend(alice, dave, status=status)

    error = assert_error(add(as_("alice"), personal_plan, dave.pk), 400, "not_friend")

    assert "user" in error["fields"]
    assert plan_member_ids(plan=personal_plan) == [alice.pk, personal_plan.participants.get().pk]


def test_unknown_user_gets_the_same_answer_as_a_stranger(as_, personal_plan):
    assert_error(add(as_("alice"), personal_plan, 8_888_888), 400, "not_friend")


def test_adding_someone_twice_is_a_conflict(as_, personal_plan, alice, bob):
    assert_error(add(as_("alice"), personal_plan, bob.pk), 409, "already_participant")
    assert_error(add(as_("alice"), personal_plan, alice.pk), 409, "already_participant")


def test_participant_cannot_add_people(as_, personal_plan, bob, carol):
    befriend(bob, carol)

    assert_error(add(as_("bob"), personal_plan, carol.pk), 403, "forbidden")
    assert not personal_plan.participants.filter(pk=carol.pk).exists()


def test_outsider_cannot_add_people(as_, personal_plan, carol, dave):
    befriend(dave, carol)

    assert_error(add(as_("dave"), personal_plan, carol.pk), 404)


def test_group_plans_have_no_participants(as_, trip_plan, bob, dave):
    befriend(bob, dave)

    assert_error(add(as_("bob"), trip_plan, dave.pk), 400, "not_personal_plan")
    assert_error(remove(as_("bob"), trip_plan, dave.pk), 400, "not_personal_plan")


@pytest.mark.parametrize("body", [{}, {"user": "carol"}, {"user": None}, {"user": 10**30}, []])
def test_malformed_participant_is_refused(as_, personal_plan, body):
    response = as_("alice").post(plan_url(personal_plan, "/participants"), body, format="json")

    assert_error(response, 400)
    assert personal_plan.participants.count() == 1


def test_closed_personal_plan_takes_no_new_participants(as_, personal_plan, carol):
    as_("alice").post(plan_url(personal_plan, "/cancel"))

    assert_error(add(as_("alice"), personal_plan, carol.pk), 409, "plan_closed")


def test_creator_removes_a_participant(as_, personal_plan, alice, bob, events):
    response = remove(as_("alice"), personal_plan, bob.pk)

    assert response.status_code == 204
    assert plan_member_ids(plan=personal_plan) == [alice.pk]
    assert events(plan_topic(personal_plan))[-1][1:] == (
        "plan.member_left",
        {"plan_id": personal_plan.pk, "user_id": bob.pk},
    )
    assert_error(as_("bob").get(plan_url(personal_plan)), 404)


def test_participant_leaves(as_, personal_plan, alice, bob):
    assert remove(as_("bob"), personal_plan, bob.pk).status_code == 204
    assert plan_member_ids(plan=personal_plan) == [alice.pk]


def test_participant_can_leave_a_closed_plan(as_, personal_plan, alice, bob):
    as_("alice").post(plan_url(personal_plan, "/cancel"))

    assert remove(as_("bob"), personal_plan, bob.pk).status_code == 204


def test_participant_cannot_remove_another(as_, personal_plan, alice, bob, carol):
    add(as_("alice"), personal_plan, carol.pk)

    assert_error(remove(as_("bob"), personal_plan, carol.pk), 403)
    assert plan_member_ids(plan=personal_plan) == [alice.pk, bob.pk, carol.pk]


def test_creator_cannot_leave_their_own_plan(as_, personal_plan, alice):
    assert_error(remove(as_("alice"), personal_plan, alice.pk), 400, "creator_cannot_leave")


def test_removing_someone_who_is_not_in_the_plan_is_not_found(as_, personal_plan, carol):
    assert_error(remove(as_("alice"), personal_plan, carol.pk), 404)
    assert_error(remove(as_("alice"), personal_plan, 2**63), 404)


def test_outsider_cannot_remove_participants(as_, personal_plan, bob):
    assert_error(remove(as_("dave"), personal_plan, bob.pk), 404)
    assert personal_plan.participants.filter(pk=bob.pk).exists()


def test_participant_is_a_member_but_not_a_manager(as_, personal_plan):
    body = as_("bob").get(plan_url(personal_plan)).json()

    assert body["can_manage"] is False
    assert_error(
        as_("bob").patch(plan_url(personal_plan), {"title": "Mine", "version": 1}, format="json"),
        403,
    )


def test_personal_plans_of_others_stay_invisible(as_, dave):
    plan = make_plan(dave, title="Secret")

    assert_error(as_("alice").get(plan_url(plan)), 404)
