"""Registration, JWT tokens and the browser's session login."""

import httpx
import pytest
from rest_framework.test import APIClient

from planpal.accounts.models import User
from planpal.notifications.models import Device
from planpal.notifications.services import device_register
from tests.conftest import PASSWORD, assert_error, make_user
from tests.live import LiveServer

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"
LOGIN = "/api/v1/auth/login"
LOGOUT = "/api/v1/auth/logout"


def register(client, **overrides):
    body = {
        "username": "erin",
        "email": "erin@example.com",
        "password": PASSWORD,
        "display_name": "Erin",
    } | overrides
    return client.post(REGISTER, body, format="json")


def test_register_then_get_a_token_and_use_it_as_bearer(anon):
    response = register(anon)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["username"] == "erin"
    assert created["display_name"] == "Erin"
    assert "password" not in created

    tokens = anon.post(TOKEN, {"username": "erin", "password": PASSWORD}, format="json")
    assert tokens.status_code == 200
    assert set(tokens.json()) == {"access", "refresh"}

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["id"] == created["id"]
    assert me.json()["email"] == "erin@example.com"


def test_refresh_token_gives_a_new_access_token_that_works(anon, alice):
    tokens = anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json").json()
    refreshed = anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    assert client.get("/api/v1/me").json()["username"] == "alice"


def test_token_with_wrong_password_is_401_in_the_error_shape(anon, alice):
    response = anon.post(TOKEN, {"username": "alice", "password": "nope"}, format="json")
    assert_error(response, 401, "no_active_account")


def test_token_without_fields_is_400_with_field_errors(anon):
    error = assert_error(anon.post(TOKEN, {}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}


def test_refresh_with_garbage_is_401_in_the_error_shape(anon):
    assert_error(anon.post(REFRESH, {"refresh": "not-a-token"}, format="json"), 401)


def test_an_access_token_cannot_be_used_as_refresh_token(anon, alice):
    tokens = anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json").json()
    assert_error(anon.post(REFRESH, {"refresh": tokens["access"]}, format="json"), 401)


def test_a_garbage_bearer_token_is_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Bearer garbage")
    assert_error(anon.get("/api/v1/me"), 401)


def test_a_deactivated_user_gets_no_token(anon, alice):
    alice.is_active = False
    alice.save()
    assert_error(anon.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json"), 401)


def test_register_rejects_a_taken_username_whatever_its_case(anon, alice):
    error = assert_error(register(anon, username="ALICE"), 400, "invalid")
    assert "username" in error["fields"]
    assert User.objects.count() == 1


def test_register_rejects_a_taken_email(anon, alice):
    error = assert_error(register(anon, email="Alice@Example.com"), 400, "invalid")
    assert "email" in error["fields"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "erin@example.com"])
def test_register_applies_the_password_validators(anon, password):
    error = assert_error(register(anon, password=password), 400, "invalid")
    assert "password" in error["fields"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"username": ""}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 10_000}, "username"),
        ({"username": ["erin"]}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "e" * 10_000 + "@example.com"}, "email"),
        ({"password": "p" * 10_000}, "password"),
        ({"password": None}, "password"),
        ({"display_name": "d" * 10_000}, "display_name"),
        ({"display_name": {"a": 1}}, "display_name"),
    ],
)
def test_register_rejects_bad_input_and_creates_nobody(anon, overrides, field):
    error = assert_error(register(anon, **overrides), 400, "invalid")
    assert field in error["fields"]
    assert not User.objects.exists()


def test_register_with_a_missing_field_names_it(anon):
    error = assert_error(anon.post(REGISTER, {"username": "erin"}, format="json"), 400)
    assert {"email", "password"} <= set(error["fields"])


def test_register_with_a_non_object_body_is_400(anon):
    assert_error(anon.post(REGISTER, ["erin"], format="json"), 400, "invalid")
    assert_error(anon.post(REGISTER, "{not json", content_type="application/json"), 400)
    assert not User.objects.exists()


def test_session_login_sets_a_session_that_authenticates_requests(alice):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert "sessionid" in response.cookies
    assert "csrftoken" in response.cookies
    assert client.get("/api/v1/me").json()["username"] == "alice"


def test_session_writes_need_the_csrf_token(alice):
    client = APIClient(enforce_csrf_checks=True)
    login = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    csrf = login.cookies["csrftoken"].value

    assert_error(client.patch("/api/v1/me", {"display_name": "A"}, format="json"), 403)
    ok = client.patch("/api/v1/me", {"display_name": "A"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert ok.status_code == 200


def test_session_login_with_a_wrong_password_is_refused(alice):
    client = APIClient()
    response = client.post(LOGIN, {"username": "alice", "password": "wrong"}, format="json")
    assert_error(response, 400, "invalid_credentials")
    assert_error(client.get("/api/v1/me"), 401)


def test_logout_ends_the_session(alice):
    client = APIClient()
    client.post(LOGIN, {"username": "alice", "password": PASSWORD}, format="json")
    assert client.post(LOGOUT).status_code == 204
    assert client.get("/api/v1/me").status_code in (401, 403)


def test_logout_without_a_session_is_harmless(anon):
    assert anon.post(LOGOUT).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_a_persona_gets_a_token_from_a_server_process_with_its_password():
    """Server processes started by tests hash like the tests do (tests/live.py), so a persona the
    test created can log in there with its password."""
    make_user("alice")
    server = LiveServer().start()
    try:
        body = {"username": "alice", "password": PASSWORD}
        response = httpx.post(f"{server.url}/api/v1/auth/token", json=body, timeout=10)
    finally:
        server.stop()

    assert response.status_code == 200, response.text
    assert set(response.json()) == {"access", "refresh"}


def test_logout_rejects_a_device_token_that_is_not_text(alice, client_for):
    """A number is not a push token: 400 naming the field, not a silent str(42)."""
    device_register(actor=alice, platform="android", token="42")
    response = client_for(alice).post(LOGOUT, {"device_token": 42}, format="json")
    assert assert_error(response, 400, "invalid")["fields"].keys() == {"device_token"}
    assert Device.objects.filter(user=alice, token="42").exists()  # still registered


# ---------------------------------------------------------------------------- refresh tokens
def token_pair(client, username="alice"):
    body = {"username": username, "password": PASSWORD}
    return client.post(TOKEN, body, format="json").json()


def refresh(client, token):
    return client.post(REFRESH, {"refresh": token}, format="json")


def test_a_refresh_gives_a_new_refresh_token_and_uses_up_the_old_one(anon, alice):
    first = token_pair(anon)["refresh"]
    rotated = refresh(anon, first)
    assert rotated.status_code == 200, rotated.content
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != first
    assert refresh(anon, rotated.json()["refresh"]).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_every_refresh_token_of_the_account(anon, alice):
    """Issue 13 #6: the legitimate client holds only the newest refresh token, so an old one
    presented again was copied. The thief and the victim both have to sign in again."""
    stolen = token_pair(anon)["refresh"]
    newest = refresh(anon, stolen).json()["refresh"]
    other_device = token_pair(anon)["refresh"]

    assert_error(refresh(anon, stolen), 401, "token_not_valid")
    assert_error(refresh(anon, newest), 401, "token_not_valid")
    assert_error(refresh(anon, other_device), 401, "token_not_valid")


def test_logout_with_the_refresh_token_revokes_it(anon, alice):
    """Issue 13 #6: a refresh token kept working after logout (failed before the fix)."""
    tokens = token_pair(anon)
    assert anon.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert_error(refresh(anon, tokens["refresh"]), 401, "token_not_valid")


def test_logout_with_a_bad_refresh_token_still_logs_out(anon, alice):
    assert anon.post(LOGOUT, {"refresh": "garbage"}, format="json").status_code == 204
    error = assert_error(anon.post(LOGOUT, {"refresh": 7}, format="json"), 400, "invalid")
    assert error["fields"].keys() == {"refresh"}


def test_refresh_rejects_a_missing_or_non_text_token(anon):
    assert assert_error(anon.post(REFRESH, {}, format="json"), 400)["fields"].keys() == {"refresh"}
    assert_error(anon.post(REFRESH, {"refresh": ["x"]}, format="json"), 400, "invalid")


def test_a_deactivated_account_cannot_refresh(anon, alice):
    token = token_pair(anon)["refresh"]
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert_error(refresh(anon, token), 401, "token_not_valid")


def test_housekeeping_deletes_expired_refresh_tokens_only(anon, alice):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
    from rest_framework_simplejwt.tokens import RefreshToken

    from planpal.ops.housekeeping import housekeep

    token_pair(anon)
    old = refresh(anon, token_pair(anon)["refresh"]).json()["refresh"]  # one blacklisted too
    jti = RefreshToken(old)["jti"]
    OutstandingToken.objects.exclude(jti=jti).update(expires_at=timezone.now() - timedelta(1))

    assert housekeep()["expired_refresh_tokens_deleted"] == 2
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [jti]
    assert refresh(anon, old).status_code == 200
