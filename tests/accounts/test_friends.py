"""Friend requests, friendships and blocks: rules, endpoints and the events on user topics."""

import pytest

from planpal.accounts import services
from planpal.accounts.models import Friendship
from planpal.accounts.selectors import are_friends
from planpal.notifications.models import Notification
from planpal.realtime.models import Event
from tests.conftest import assert_error, public
from tests.factories import befriend_through_services

# Each write commits: the notifications it causes are written after commit (realtime.fanout).
pytestmark = pytest.mark.django_db(transaction=True)

FRIENDS = "/api/v1/friends"


def names(events, user) -> list[str]:
    return [name for _, name, _ in events(f"user:{user.pk}")]


def notes(events, user) -> list[tuple[str, str, dict]]:
    """The notifications announced on the user's topic, as (kind, title, data)."""
    log = events(f"user:{user.pk}", names={"notification.created"})
    return [(payload["kind"], payload["title"], payload["data"]) for _, _, payload in log]


# ---------------------------------------------------------------------------- requests


def test_a_request_shows_as_outgoing_to_me_and_incoming_to_them(client_for, alice, bob):
    response = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["user"] == public(bob)
    assert (response.json()["status"], response.json()["direction"]) == ("pending", "outgoing")

    [entry] = client_for(bob).get(FRIENDS).json()["results"]
    assert entry["user"] == public(alice)
    assert (entry["status"], entry["direction"]) == ("pending", "incoming")


def test_a_request_is_announced_on_both_user_topics(client_for, events, alice, bob):
    client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    payload = {"requester": public(alice), "addressee": public(bob)}
    assert events(f"user:{alice.pk}") == [(1, "friend.requested", payload)]
    # Bob, not the requester, also gets a notification, right after the request.
    [request, (seq, name, note)] = events(f"user:{bob.pk}")
    assert request == (1, "friend.requested", payload)
    assert (seq, name) == (2, "notification.created")
    assert note["id"] == Notification.objects.get(user=bob).pk
    assert (note["kind"], note["title"], note["body"], note["data"]) == (
        "friend.requested",
        "Alice wants to be friends",
        "",
        {"user_id": alice.pk},
    )
    assert (note["count"], note["read_at"]) == (1, None)
    assert not Notification.objects.filter(user=alice).exists()


def test_repeating_a_request_changes_nothing(client_for, events, alice, bob):
    client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    again = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    assert again.status_code == 200
    assert again.json()["status"] == "pending"
    assert Friendship.objects.count() == 1
    assert names(events, bob) == ["friend.requested", "notification.created"]
    assert Notification.objects.filter(user=bob).count() == 1


def test_requesting_someone_who_already_asked_me_accepts(client_for, events, alice, bob):
    services.friend_request(actor=bob, user_id=alice.pk)
    response = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["direction"]) == ("accepted", None)
    assert are_friends(alice.pk, bob.pk)
    assert names(events, alice) == ["friend.requested", "notification.created", "friend.accepted"]
    assert names(events, bob) == ["friend.requested", "friend.accepted", "notification.created"]
    # Each hears from the other: Bob's request told Alice, Alice's accepting tells Bob.
    assert notes(events, alice) == [
        ("friend.requested", "Bob wants to be friends", {"user_id": bob.pk})
    ]
    assert notes(events, bob) == [
        ("friend.accepted", "Alice is now your friend", {"user_id": alice.pk})
    ]


def test_accepting_makes_friends_and_tells_both(client_for, events, alice, bob):
    services.friend_request(actor=alice, user_id=bob.pk)
    response = client_for(bob).post(f"{FRIENDS}/{alice.pk}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert are_friends(alice.pk, bob.pk)
    low, high = sorted([alice, bob], key=lambda u: u.pk)
    accepted = ("friend.accepted", {"users": [public(low), public(high)]})
    # Bob's log has his notification of the request at seq 2, so his accept comes at 3.
    assert events(f"user:{alice.pk}", prefix="friend.")[-1] == (2, *accepted)
    assert events(f"user:{bob.pk}", prefix="friend.")[-1] == (3, *accepted)
    # Alice is told; Bob, who accepted, is not.
    assert names(events, alice) == ["friend.requested", "friend.accepted", "notification.created"]
    assert notes(events, alice) == [
        ("friend.accepted", "Bob is now your friend", {"user_id": bob.pk})
    ]
    assert notes(events, bob) == [
        ("friend.requested", "Alice wants to be friends", {"user_id": alice.pk})
    ]


def test_i_cannot_accept_my_own_request(client_for, alice, bob):
    services.friend_request(actor=alice, user_id=bob.pk)
    assert_error(client_for(alice).post(f"{FRIENDS}/{bob.pk}/accept"), 404, "not_found")
    assert not are_friends(alice.pk, bob.pk)


def test_accepting_without_a_request_is_404(client_for, alice, bob):
    assert_error(client_for(alice).post(f"{FRIENDS}/{bob.pk}/accept"), 404, "not_found")


def test_declining_removes_the_request_from_both_lists(client_for, events, alice, bob):
    services.friend_request(actor=alice, user_id=bob.pk)
    assert client_for(bob).post(f"{FRIENDS}/{alice.pk}/decline").status_code == 204
    assert client_for(alice).get(FRIENDS).json()["results"] == []
    assert client_for(bob).get(FRIENDS).json()["results"] == []
    removed = ("friend.removed", {"user_ids": sorted([alice.pk, bob.pk])})
    assert events(f"user:{alice.pk}")[-1] == (2, *removed)
    assert events(f"user:{bob.pk}")[-1] == (3, *removed)  # after his notification of the request
    assert notes(events, alice) == []  # a decline is not announced as a notification
    assert names(events, bob) == ["friend.requested", "notification.created", "friend.removed"]


def test_after_a_decline_the_requester_may_ask_again(client_for, alice, bob):
    services.friend_request(actor=alice, user_id=bob.pk)
    services.friend_decline(actor=bob, user_id=alice.pk)
    response = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    assert (response.status_code, response.json()["status"]) == (201, "pending")


def test_i_cannot_befriend_myself(client_for, alice):
    error = assert_error(client_for(alice).post(FRIENDS, {"user": alice.pk}, format="json"), 400)
    assert "user" in error["fields"]
    assert not Friendship.objects.exists()


@pytest.mark.parametrize(
    "body, status",
    [
        ({}, 400),
        ({"user": "bob"}, 400),
        ({"user": None}, 400),
        ({"user": [1]}, 400),
        ({"user": 0}, 400),
        ({"user": -3}, 400),
        ({"user": 2**70}, 400),
        ({"user": 999_999}, 404),
    ],
)
def test_bad_friend_requests_are_refused_and_write_nothing(client_for, alice, body, status):
    assert_error(client_for(alice).post(FRIENDS, body, format="json"), status)
    assert not Friendship.objects.exists()
    assert not Event.objects.exists()


def test_unknown_or_huge_ids_in_the_path_are_404(client_for, alice):
    for action in ("accept", "decline", "block"):
        assert_error(client_for(alice).post(f"{FRIENDS}/999999/{action}"), 404)
        assert_error(client_for(alice).post(f"{FRIENDS}/{10**30}/{action}"), 404)
    assert_error(client_for(alice).delete(f"{FRIENDS}/{10**30}"), 404)
    assert not Friendship.objects.exists()


def test_deactivated_users_cannot_be_asked(client_for, alice, bob):
    bob.is_active = False
    bob.save()
    assert_error(client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json"), 404)


# ---------------------------------------------------------------------------- the list


def test_the_list_has_friends_and_requests_both_ways_with_a_stream(
    client_for, events, alice, bob, carol, dave
):
    befriend_through_services(alice, bob)
    services.friend_request(actor=carol, user_id=alice.pk)
    services.friend_request(actor=alice, user_id=dave.pk)
    body = client_for(alice).get(FRIENDS).json()
    # The stream's seq is the head of Alice's topic, her notifications included.
    assert names(events, alice) == [
        "friend.requested",
        "friend.accepted",
        "notification.created",  # Bob accepted
        "friend.requested",
        "notification.created",  # Carol asks
        "friend.requested",
    ]
    assert body["stream"] == {"topic": f"user:{alice.pk}", "seq": 6}
    seen = {(e["user"]["username"], e["status"], e["direction"]) for e in body["results"]}
    assert seen == {
        ("bob", "accepted", None),
        ("carol", "pending", "incoming"),
        ("dave", "pending", "outgoing"),
    }


def test_deactivated_friends_drop_off_the_list(client_for, alice, bob):
    befriend_through_services(alice, bob)
    bob.is_active = False
    bob.save()
    assert client_for(alice).get(FRIENDS).json()["results"] == []


def test_friends_need_authentication(anon):
    assert_error(anon.get(FRIENDS), 401)
    assert_error(anon.post(FRIENDS, {"user": 1}, format="json"), 401)
    assert_error(anon.post(f"{FRIENDS}/1/accept"), 401)
    assert_error(anon.delete(f"{FRIENDS}/1"), 401)


# ---------------------------------------------------------------------------- removing


def test_unfriending_tells_both_and_lets_them_start_afresh(client_for, events, alice, bob):
    befriend_through_services(alice, bob)
    assert client_for(bob).delete(f"{FRIENDS}/{alice.pk}").status_code == 204
    assert not Friendship.objects.exists()
    assert names(events, alice)[-1] == "friend.removed"
    assert names(events, bob)[-1] == "friend.removed"


def test_withdrawing_my_request(client_for, alice, bob):
    services.friend_request(actor=alice, user_id=bob.pk)
    assert client_for(alice).delete(f"{FRIENDS}/{bob.pk}").status_code == 204
    assert client_for(bob).get(FRIENDS).json()["results"] == []


def test_removing_a_stranger_is_404(client_for, alice, bob):
    assert_error(client_for(alice).delete(f"{FRIENDS}/{bob.pk}"), 404)


# ---------------------------------------------------------------------------- blocks


def test_a_blocked_user_cannot_send_requests_and_is_not_told_why(client_for, events, alice, bob):
    services.friend_block(actor=bob, user_id=alice.pk)
    response = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    error = assert_error(response, 403, "not_allowed")
    assert "block" not in error["message"].lower()
    assert events(f"user:{alice.pk}") == []


def test_the_blocker_gets_the_same_refusal(client_for, alice, bob):
    services.friend_block(actor=bob, user_id=alice.pk)
    assert_error(
        client_for(bob).post(FRIENDS, {"user": alice.pk}, format="json"), 403, "not_allowed"
    )


def test_blocking_a_friend_ends_the_friendship_silently_for_them(client_for, events, alice, bob):
    befriend_through_services(alice, bob)
    response = client_for(bob).post(f"{FRIENDS}/{alice.pk}/block")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["direction"]) == ("blocked", "outgoing")
    assert not are_friends(alice.pk, bob.pk)
    # Alice sees the friendship end like an unfriend; only Bob's devices hear of the block.
    assert names(events, alice) == [
        "friend.requested",
        "friend.accepted",
        "notification.created",  # of Bob's accepting, before the block
        "friend.removed",
    ]
    assert notes(events, alice) == [
        ("friend.accepted", "Bob is now your friend", {"user_id": bob.pk})
    ]
    assert events(f"user:{bob.pk}")[-1] == (4, "friend.blocked", {"user": public(alice)})
    assert client_for(alice).get(FRIENDS).json()["results"] == []
    [entry] = client_for(bob).get(FRIENDS).json()["results"]
    assert (entry["user"]["id"], entry["status"]) == (alice.pk, "blocked")


def test_blocking_a_stranger_tells_only_me(client_for, events, alice, bob):
    assert client_for(bob).post(f"{FRIENDS}/{alice.pk}/block").status_code == 200
    assert events(f"user:{alice.pk}") == []
    assert names(events, bob) == ["friend.blocked"]


def test_blocking_back_keeps_the_first_block(client_for, alice, bob):
    services.friend_block(actor=bob, user_id=alice.pk)
    response = client_for(alice).post(f"{FRIENDS}/{bob.pk}/block")
    assert (response.status_code, response.json()["status"]) == (200, "blocked")
    # Alice cannot lift Bob's block by "unblocking" him.
    assert_error(client_for(alice).delete(f"{FRIENDS}/{bob.pk}"), 404)
    assert Friendship.objects.get().blocked_by_id == bob.pk


def test_unblocking_lets_them_ask_again(client_for, events, alice, bob):
    services.friend_block(actor=bob, user_id=alice.pk)
    assert client_for(bob).delete(f"{FRIENDS}/{alice.pk}").status_code == 204
    assert names(events, bob) == ["friend.blocked", "friend.removed"]
    assert events(f"user:{alice.pk}") == []
    response = client_for(alice).post(FRIENDS, {"user": bob.pk}, format="json")
    assert response.status_code == 201


def test_a_blocked_user_cannot_accept_an_old_request(client_for, alice, bob):
    services.friend_request(actor=bob, user_id=alice.pk)
    services.friend_block(actor=bob, user_id=alice.pk)
    assert_error(client_for(alice).post(f"{FRIENDS}/{bob.pk}/accept"), 404)
    assert not are_friends(alice.pk, bob.pk)


def test_withdrawing_and_asking_again_twenty_times_notifies_once(
    client_for, events, alice, bob, carol, time_machine
):
    """Issue 13 #20: every withdraw and re-request notified (and could push) the addressee."""
    time_machine.move_to("2030-01-10T08:00:00Z", tick=False)
    alice_api = client_for(alice)
    for _ in range(20):
        assert alice_api.post(FRIENDS, {"user": bob.pk}, format="json").status_code == 201
        assert alice_api.delete(f"{FRIENDS}/{bob.pk}").status_code == 204
    alice_api.post(FRIENDS, {"user": bob.pk}, format="json")

    requested = Notification.objects.filter(user=bob, kind="friend.requested")
    assert [(n.title, n.count) for n in requested] == [("Alice wants to be friends", 1)]
    assert len(notes(events, bob)) == 1
    assert names(events, bob).count("friend.requested") == 21  # the lists stay right
    # Reading it does not reopen the floodgate; another person's request is news.
    Notification.objects.filter(user=bob).update(read_at="2030-01-10T08:01:00Z")
    alice_api.delete(f"{FRIENDS}/{bob.pk}")
    alice_api.post(FRIENDS, {"user": bob.pk}, format="json")
    services.friend_request(actor=carol, user_id=bob.pk)
    assert sorted(Notification.objects.filter(user=bob).values_list("title", flat=True)) == [
        "Alice wants to be friends",
        "Carol wants to be friends",
    ]
    # A day later a request is worth telling again.
    time_machine.move_to("2030-01-11T08:30:00Z", tick=False)
    alice_api.delete(f"{FRIENDS}/{bob.pk}")
    alice_api.post(FRIENDS, {"user": bob.pk}, format="json")
    assert Notification.objects.filter(user=bob, kind="friend.requested").count() == 3
