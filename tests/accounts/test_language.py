"""The profile's language (docs/i18n.md): chosen with PATCH me, else Accept-Language, else
English; a signed-in user's choice wins over the browser's."""

import pytest
from rest_framework.test import APIClient

from planpal.accounts.tokens import token_pair
from tests.conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
REGISTER = "/api/v1/auth/register"


def bearer(user, accept_language: str = "") -> APIClient:
    """A client signed in with a real access token (the profile language is applied when the
    token is authenticated, which force_authenticate skips)."""
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token_pair(user)['access']}",
        HTTP_ACCEPT_LANGUAGE=accept_language,
    )
    return client


def test_i_can_choose_my_language(client_for, alice):
    response = client_for(alice).patch(ME, {"language": "vi"}, format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "vi"
    assert client_for(alice).get(ME).json()["language"] == "vi"
    alice.refresh_from_db()
    assert alice.language == "vi"


@pytest.mark.parametrize("language", ["fr", "", "VI", "vi-VN", "x" * 100, 5, None, ["vi"]])
def test_a_language_other_than_en_or_vi_is_refused_and_changes_nothing(client_for, alice, language):
    response = client_for(alice).patch(ME, {"language": language}, format="json")
    error = assert_error(response, 400, "invalid")
    assert "language" in error["fields"]
    alice.refresh_from_db()
    assert alice.language == ""


def test_a_new_account_keeps_the_language_its_sign_up_was_answered_in(anon):
    body = {"username": "lan", "email": "lan@example.com", "password": PASSWORD}
    response = anon.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="vi,en;q=0.5")
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "vi"
    assert response["Content-Language"] == "vi"


def test_a_new_account_may_name_its_language(anon):
    body = {"username": "erin", "email": "e@example.com", "password": PASSWORD, "language": "en"}
    response = anon.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["language"] == "en"


def test_a_sign_up_with_an_unknown_language_is_refused(anon):
    body = {"username": "erin", "email": "e@example.com", "password": PASSWORD, "language": "de"}
    error = assert_error(anon.post(REGISTER, body, format="json"), 400, "invalid")
    assert "language" in error["fields"]


def test_without_a_choice_the_browser_language_decides_and_english_is_the_default(alice):
    assert bearer(alice, "vi").get(ME)["Content-Language"] == "vi"
    assert bearer(alice, "fr").get(ME)["Content-Language"] == "en"
    assert bearer(alice).get(ME)["Content-Language"] == "en"


def test_my_chosen_language_wins_over_the_browser_language(alice):
    alice.language = "vi"
    alice.save()
    assert bearer(alice, "en").get(ME)["Content-Language"] == "vi"


def test_a_browser_session_answers_in_the_profile_language(alice):
    alice.language = "vi"
    alice.save()
    client = APIClient()
    client.force_login(alice)
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
