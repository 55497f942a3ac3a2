"""The account's token version: every access token, refresh token and WebSocket ticket carries
it, and raising it revokes them all at once (issue 13 #6), checked on the user row that
authentication loads anyway."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from planpal.accounts.models import User
from tests.conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/token/refresh"


def revoke_all(user) -> None:
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)


def signed_in(anon, username="alice") -> tuple[APIClient, dict]:
    tokens = anon.post(TOKEN, {"username": username, "password": PASSWORD}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def test_a_raised_version_refuses_the_access_and_refresh_tokens_issued_before(anon, alice):
    client, tokens = signed_in(anon)
    assert client.get("/api/v1/me").status_code == 200

    revoke_all(alice)

    assert_error(client.get("/api/v1/me"), 401, "token_not_valid")
    refreshed = anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert_error(refreshed, 401, "token_not_valid")
    fresh, _ = signed_in(anon)  # signing in again gives tokens of the new version
    assert fresh.get("/api/v1/me").json()["username"] == "alice"


def test_the_version_check_costs_no_query_of_its_own(anon, alice):
    client, _ = signed_in(anon)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me").status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]  # the user row, as before


def test_a_refreshed_pair_keeps_the_version(anon, alice):
    _, tokens = signed_in(anon)
    pair = anon.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert client.get("/api/v1/me").status_code == 200
    revoke_all(alice)
    assert_error(client.get("/api/v1/me"), 401, "token_not_valid")


def test_the_gateways_account_check_answers_a_burst_of_connects_in_one_query(
    django_assert_num_queries,
):
    from planpal.accounts.selectors import accounts_may_connect
    from tests.conftest import make_user

    current, revoked, deactivated = (make_user(name) for name in ("cur", "rev", "deact"))
    revoke_all(revoked)
    User.objects.filter(pk=deactivated.pk).update(is_active=False)
    asked = [(current.pk, 0), (revoked.pk, 0), (revoked.pk, 1), (deactivated.pk, 0), (999_999, 0)]

    with django_assert_num_queries(1):
        answers = accounts_may_connect(asked)

    assert answers == {
        (current.pk, 0): True,
        (revoked.pk, 0): False,  # the version the revocation ended
        (revoked.pk, 1): True,
        (deactivated.pk, 0): False,
        (999_999, 0): False,  # no such account
    }
