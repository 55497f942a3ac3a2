"""GET/PATCH me and the people search."""

import pytest

from planpal.accounts import services
from planpal.accounts.models import User
from tests.conftest import assert_error, make_user

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
USERS = "/api/v1/users"


def test_me_shows_my_private_profile(client_for, alice):
    body = client_for(alice).get(ME).json()
    assert body["username"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["timezone"] == "UTC"


def test_me_needs_authentication(anon):
    assert_error(anon.get(ME), 401, "not_authenticated")
    assert_error(anon.patch(ME, {"display_name": "x"}, format="json"), 401)


def test_i_can_update_my_profile(client_for, alice):
    changes = {
        "display_name": "Alice A.",
        "avatar_url": "https://img.example.com/a.png",
        "email": "alice@new.example.com",
        "timezone": "Europe/Paris",
    }
    response = client_for(alice).patch(ME, changes, format="json")
    assert response.status_code == 200
    assert {key: response.json()[key] for key in changes} == changes
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice A.", "Europe/Paris")


def test_patch_changes_only_the_fields_sent(client_for, alice):
    client_for(alice).patch(ME, {"timezone": "Asia/Tokyo"}, format="json")
    alice.refresh_from_db()
    assert alice.display_name == "Alice"
    assert alice.timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": "t" * 10_000}, "timezone"),
        ({"timezone": 5}, "timezone"),
        ({"email": "nope"}, "email"),
        ({"avatar_url": "javascript:alert(1)"}, "avatar_url"),
        ({"avatar_url": "https://x.example.com/" + "a" * 10_000}, "avatar_url"),
        ({"display_name": "d" * 10_000}, "display_name"),
        ({"display_name": ["x"]}, "display_name"),
    ],
)
def test_bad_profile_input_is_rejected_and_changes_nothing(client_for, alice, changes, field):
    error = assert_error(client_for(alice).patch(ME, changes, format="json"), 400, "invalid")
    assert field in error["fields"]
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone, alice.email) == (
        "Alice",
        "UTC",
        "alice@example.com",
    )


def test_an_invalid_field_rolls_back_the_valid_ones(client_for, alice):
    response = client_for(alice).patch(
        ME, {"display_name": "New", "timezone": "Nowhere/Land"}, format="json"
    )
    assert_error(response, 400, "invalid")
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_i_cannot_take_someone_elses_email(client_for, alice, bob):
    error = assert_error(
        client_for(alice).patch(ME, {"email": "BOB@example.com"}, format="json"), 400
    )
    assert "email" in error["fields"]


def test_search_finds_people_by_username_or_display_name_prefix(client_for, alice, bob, carol):
    make_user("bobby", display_name="Robert")
    make_user("zed", display_name="Bob's twin")
    results = client_for(alice).get(USERS, {"search": "bo"}).json()["results"]
    assert [user["username"] for user in results] == ["bob", "bobby", "zed"]
    assert set(results[0]) == {"id", "username", "display_name", "avatar_url"}


def test_search_is_case_insensitive_and_treats_wildcards_literally(client_for, alice, bob):
    make_user("b_x")
    assert [
        u["username"] for u in client_for(alice).get(USERS, {"search": "BO"}).json()["results"]
    ] == ["bob"]
    assert [
        u["username"] for u in client_for(alice).get(USERS, {"search": "b_"}).json()["results"]
    ] == ["b_x"]
    assert client_for(alice).get(USERS, {"search": "%%"}).json()["results"] == []


def test_search_never_shows_me_or_deactivated_users(client_for, alice):
    make_user("alicia")
    make_user("alina", is_active=False)
    results = client_for(alice).get(USERS, {"search": "ali"}).json()["results"]
    assert [user["username"] for user in results] == ["alicia"]


def test_search_returns_at_most_twenty(client_for, alice):
    User.objects.bulk_create(User(username=f"traveller{index:02d}") for index in range(25))
    assert len(client_for(alice).get(USERS, {"search": "tr"}).json()["results"]) == 20


def test_blocks_hide_people_from_search_both_ways(client_for, alice, bob):
    services.friend_block(actor=bob, user_id=alice.pk)
    assert client_for(alice).get(USERS, {"search": "bob"}).json()["results"] == []
    assert client_for(bob).get(USERS, {"search": "ali"}).json()["results"] == []


@pytest.mark.parametrize("params", [{}, {"search": ""}, {"search": "a"}, {"search": "x" * 10_000}])
def test_search_needs_two_to_150_characters(client_for, alice, params):
    error = assert_error(client_for(alice).get(USERS, params), 400, "invalid")
    assert "search" in error["fields"]


def test_search_needs_authentication(anon):
    assert_error(anon.get(USERS, {"search": "al"}), 401)
