"""Password reset by e-mail (issue 13 #6): the same answer whether or not the address has an
account, a link that opens the web client's reset page and works once, rate limited."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from planpal.accounts.models import User
from planpal.core import background
from tests.conftest import PASSWORD, assert_error

pytestmark = pytest.mark.django_db

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
NEW = "a-brand-new-passphrase-42"
LINK = re.compile(r"(http\S+)/#/reset-password/([^/\s]+)/(\S+)")


@pytest.fixture(autouse=True)
def tasks_run_here(monkeypatch):
    """The mail goes out from a task (through the broker with Redis): run it in the test."""
    monkeypatch.setattr(background, "enqueue", lambda task, **kwargs: task(**kwargs))


def ask(client, email):
    return client.post(RESET, {"email": email}, format="json")


def link_in_mail() -> tuple[str, str, str]:
    [message] = mail.outbox
    return LINK.search(message.body).groups()


def test_a_known_address_gets_a_link_that_opens_the_reset_page(anon, alice, settings):
    settings.PUBLIC_URL = ""
    response = ask(anon, "ALICE@example.com")
    assert response.status_code == 202
    assert mail.outbox[0].to == ["alice@example.com"]
    base, _, _ = link_in_mail()
    assert base == "http://testserver"  # the request's host when PUBLIC_URL is unset


def test_an_unknown_address_gets_the_same_answer_and_no_mail(anon, alice):
    known, unknown = ask(anon, "alice@example.com"), ask(anon, "nobody@example.com")
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert len(mail.outbox) == 1


def test_the_link_sets_a_new_password_once_and_signs_out_everything(anon, alice, events):
    app = APIClient()
    login = {"username": "alice", "password": PASSWORD}
    tokens = anon.post("/api/v1/auth/token", login, format="json").json()
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    ask(anon, "alice@example.com")
    _, uid, token = link_in_mail()

    body = {"uid": uid, "token": token, "new_password": NEW}
    assert anon.post(CONFIRM, body, format="json").status_code == 204

    assert_error(app.get("/api/v1/me"), 401)
    login = {"username": "alice", "password": NEW}
    assert anon.post("/api/v1/auth/login", login, format="json").status_code == 200
    again = anon.post(CONFIRM, body | {"new_password": "yet-another-passphrase-7"}, format="json")
    assert_error(again, 400, "invalid_link")  # used up by the change it made
    [(_, name, data)] = events(f"user:{alice.pk}", prefix="user.")
    assert (name, data["kept_session"]) == ("user.credentials_revoked", "")


@pytest.mark.parametrize(
    "change, code, field",
    [
        ({"token": "1-abc"}, "invalid_link", None),
        ({"uid": "bm9wZQ"}, "invalid_link", None),  # "nope"
        ({"uid": "!!"}, "invalid_link", None),
        ({"new_password": "short"}, "invalid", "new_password"),
        ({"new_password": 123456789012}, "invalid", "new_password"),
        ({"token": None}, "invalid", "token"),
    ],
)
def test_a_bad_confirmation_changes_nothing(anon, alice, change, code, field):
    ask(anon, "alice@example.com")
    _, uid, token = link_in_mail()
    body = {"uid": uid, "token": token, "new_password": NEW} | change
    error = assert_error(anon.post(CONFIRM, body, format="json"), 400, code)
    if field:
        assert field in error["fields"]
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_a_malformed_address_is_400(anon):
    error = assert_error(ask(anon, "not an address"), 400, "invalid")
    assert error["fields"].keys() == {"email"}
    assert_error(anon.post(RESET, ["alice@example.com"], format="json"), 400)


def test_requests_are_rate_limited_per_address(anon, alice):
    answers = [ask(anon, "alice@example.com").status_code for _ in range(4)]
    assert answers == [202, 202, 202, 429]
    assert len(mail.outbox) == 3
