"""POST /api/v1/me/password: a password change signs out everything signed in with the old one
(issue 13 #6), except the browser session that made it."""

import pytest
from rest_framework.test import APIClient

from planpal.accounts.models import User
from tests.conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db

CHANGE = "/api/v1/me/password"
NEW = "a-brand-new-passphrase-42"


def session_client(username="alice", password=PASSWORD) -> APIClient:
    client = APIClient()
    body = {"username": username, "password": password}
    assert client.post("/api/v1/auth/login", body, format="json").status_code == 200
    return client


def token_client(username="alice", password=PASSWORD) -> tuple[APIClient, dict]:
    body = {"username": username, "password": password}
    tokens = APIClient().post("/api/v1/auth/token", body, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def change(client, old=PASSWORD, new=NEW):
    return client.post(CHANGE, {"old_password": old, "new_password": new}, format="json")


def test_a_browser_session_changes_the_password_and_only_it_stays_signed_in(alice, events):
    """Issue 13 #6: there was no way to change a password; a change must revoke every other
    credential (tokens, refresh tokens, other sessions)."""
    this, other = session_client(), session_client()
    app, tokens = token_client()

    assert change(this).status_code == 204

    assert this.get("/api/v1/me").status_code == 200
    assert_error(other.get("/api/v1/me"), 401)  # that session is over
    assert_error(app.get("/api/v1/me"), 401, "token_not_valid")
    refresh = {"refresh": tokens["refresh"]}
    refreshed = APIClient().post("/api/v1/auth/token/refresh", refresh, format="json")
    assert_error(refreshed, 401, "token_not_valid")
    session_client(password=NEW)  # the new password signs in
    login = {"username": "alice", "password": PASSWORD}
    assert_error(APIClient().post("/api/v1/auth/login", login, format="json"), 400)

    [(_, name, data)] = events(f"user:{alice.pk}", prefix="user.")
    assert name == "user.credentials_revoked"
    assert data["token_version"] == User.objects.get(pk=alice.pk).token_version == 1
    assert data["kept_session"]  # the session that changed it


def test_a_token_client_gets_a_new_pair(alice, events):
    app, _ = token_client()
    response = change(app)
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access", "refresh"}
    assert_error(app.get("/api/v1/me"), 401)
    renewed = APIClient()
    renewed.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert renewed.get("/api/v1/me").json()["username"] == "alice"
    [(_, _, data)] = events(f"user:{alice.pk}", prefix="user.")
    assert data["kept_session"] == ""


@pytest.mark.parametrize(
    "body, field",
    [
        ({"old_password": "wrong", "new_password": NEW}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "alice@example.com"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": 12345678901234}, "new_password"),
        ({"old_password": PASSWORD}, "new_password"),
        ({"new_password": NEW}, "old_password"),
    ],
)
def test_a_refused_change_changes_nothing(alice, events, body, field):
    client = session_client()
    error = assert_error(client.post(CHANGE, body, format="json"), 400, "invalid")
    assert field in error["fields"]
    assert User.objects.get(pk=alice.pk).token_version == 0
    assert events(f"user:{alice.pk}", prefix="user.") == []
    assert client.get("/api/v1/me").status_code == 200
    session_client()  # the old password still signs in


def test_guessing_the_current_password_is_rate_limited(alice):
    client = session_client()
    answers = [change(client, old="guess").status_code for _ in range(11)]
    assert answers[:10] == [400] * 10
    assert answers[10] == 429


def test_it_needs_a_signed_in_user(anon):
    assert_error(change(anon), 401)


def test_deactivating_an_account_revokes_its_credentials(alice, events):
    from planpal.accounts.services import user_deactivate

    user_deactivate(user=alice)
    [(_, name, data)] = events(f"user:{alice.pk}", prefix="user.")
    assert (name, data) == ("user.credentials_revoked", {"token_version": 1, "kept_session": ""})
