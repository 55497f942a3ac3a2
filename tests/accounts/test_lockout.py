"""The login lockout follows the account, not the typed name (issue 13 items 4 and 11).

On MariaDB the username lookup is accent- and case-insensitive (utf8mb4_unicode_ci): `löck_x`
signed in as `lock_x` while `lock_x` was locked, because the lock was keyed by the name typed.
Names are now normalised at sign-up (NFKC + casefold; a colliding name is refused) and the
lockout is keyed by the account a name resolves to, on the API and on /admin/login/ alike."""

import pytest
from django.db import connection

from planpal.accounts.models import User
from tests.conftest import PASSWORD, assert_error, make_user

TOKEN = "/api/v1/auth/token"
# \uffxx: fullwidth letters, which NFKC folds to ASCII.
FULLWIDTH_STRASSE = "\uff53\uff54\uff52\uff41\uff53\uff53\uff45"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def locked(settings, db):
    """`lock_x`, whose account is over its limit of 3 attempts (made from several addresses)."""
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        **dict.fromkeys(settings.RATE_LIMITS, "10000/60"),
        "login_username": "3/900",
    }
    user = make_user("lock_x")
    return user


def token(anon, username: str, password: str = PASSWORD, ip: str = "10.2.0.1"):
    body = {"username": username, "password": password}
    return anon.post(TOKEN, body, format="json", REMOTE_ADDR=ip)


def admin_login(client, username: str, password: str = PASSWORD, ip: str = "10.3.0.1"):
    body = {"username": username, "password": password, "next": "/admin/"}
    return client.post(ADMIN_LOGIN, body, REMOTE_ADDR=ip)


def on_mariadb() -> bool:
    return connection.vendor == "mysql"


def exhaust(anon) -> None:
    for n in range(3):
        assert token(anon, "lock_x", "wrong", ip=f"10.2.1.{n}").status_code == 401


@pytest.mark.parametrize("variant", ["LOCK_X", "\uff4c\uff4f\uff43\uff4b_\uff58", "Lock_X"])
def test_a_locked_account_stays_locked_under_another_spelling_of_its_name(anon, locked, variant):
    exhaust(anon)
    assert_error(token(anon, variant), 429, "throttled")
    assert_error(token(anon, "lock_x"), 429, "throttled")


def test_an_accented_variant_never_signs_in_to_a_locked_account(anon, locked):
    exhaust(anon)
    response = token(anon, "löck_x")
    assert response.status_code != 200, "signed in past the lockout"
    if on_mariadb():  # the collation makes it the same account: the same lock
        assert_error(response, 429, "throttled")


def test_another_account_is_not_locked_by_it(anon, locked, bob):
    exhaust(anon)
    assert token(anon, "bob").status_code == 200


def test_admin_login_counts_toward_the_same_lockout(client, anon, locked):
    locked.is_staff = True
    locked.save(update_fields=["is_staff"])
    for n in range(3):  # wrong passwords in the admin's form lock the API too
        answer = admin_login(client, "LOCK_X", "wrong", ip=f"10.3.1.{n}")
        assert answer.status_code == 200  # the form again, with its error
    assert_error(token(anon, "lock_x"), 429, "throttled")
    refused = admin_login(client, "lock_x")  # even the right password
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session


def test_admin_login_is_limited_per_address(client, settings, db):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**dict.fromkeys(settings.RATE_LIMITS, "10000/60"), "login_ip": "3/300"}
    for n in range(3):
        assert admin_login(client, f"nobody{n}", "wrong").status_code == 200
    assert admin_login(client, "nobody9", "wrong").status_code == 429
    assert admin_login(client, "nobody9", "wrong", ip="10.3.9.9").status_code == 200


def test_admin_login_still_signs_in_within_the_limits(client, locked):
    locked.is_staff = True
    locked.save(update_fields=["is_staff"])
    answer = admin_login(client, "Lock_X")
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(locked.pk)


# ---------------------------------------------------------------------------- normalised names


def register(anon, username: str, email: str):
    body = {"username": username, "email": email, "password": PASSWORD}
    return anon.post("/api/v1/auth/register", body, format="json")


def test_a_new_name_is_stored_normalised_and_signs_in_as_typed(anon, db):
    created = register(anon, "\uff25rin_Vo", "erin@example.com")
    assert created.status_code == 201, created.json()
    assert created.json()["username"] == "erin_vo"
    assert User.objects.get().username == "erin_vo"
    assert token(anon, "ERIN_VO").status_code == 200
    assert token(anon, "\uff45\uff52\uff49\uff4e_\uff56\uff4f").status_code == 200


@pytest.mark.parametrize("taken", ["STRASSE", "Straße", FULLWIDTH_STRASSE])
def test_a_name_that_collides_under_the_rule_is_refused(anon, db, taken):
    assert register(anon, "strasse", "first@example.com").status_code == 201
    error = assert_error(register(anon, taken, "second@example.com"), 400, "invalid")
    assert error["fields"]["username"] == ["This username is taken."]
    assert User.objects.count() == 1


def test_on_mariadb_an_accented_twin_is_refused(anon, db):
    if not on_mariadb():
        pytest.skip("SQLite compares names exactly: löck and lock are two names there")
    assert register(anon, "lock_y", "first@example.com").status_code == 201
    assert_error(register(anon, "löck_y", "second@example.com"), 400, "invalid")
    assert User.objects.count() == 1
