"""Every chat endpoint: members get through, outsiders get 404, anonymous callers 401."""

import pytest

from planpal.chat.models import Message, ReadState
from tests.conftest import assert_error


@pytest.fixture
def endpoints(group_chat, alice, say):
    message = say(alice, group_chat, "Hi")
    c, m = group_chat.pk, message.pk
    return [
        ("get", "/api/v1/conversations", None),
        ("post", "/api/v1/conversations", {"user": alice.pk}),
        ("get", f"/api/v1/conversations/{c}", None),
        ("get", f"/api/v1/conversations/{c}/messages", None),
        ("post", f"/api/v1/conversations/{c}/messages", {"text": "x"}),
        ("post", f"/api/v1/conversations/{c}/read", {}),
        ("patch", f"/api/v1/messages/{m}", {"text": "x"}),
        ("delete", f"/api/v1/messages/{m}", None),
    ]


def test_anonymous_gets_401_everywhere(anon, endpoints):
    for method, url, body in endpoints:
        response = getattr(anon, method)(url, body, format="json")
        assert_error(response, 401, "not_authenticated")
    assert Message.objects.count() == 1


def test_outsider_gets_404_for_everything_about_the_group(dave, client_for, endpoints):
    client = client_for(dave)
    for method, url, body in endpoints:
        if url.endswith("/conversations"):
            continue  # the list and direct creation are not about the group
        response = getattr(client, method)(url, body, format="json")
        assert_error(response, 404, "not_found")
    assert Message.objects.count() == 1
    assert not ReadState.objects.filter(user=dave).exists()


def test_member_may_read_and_write(bob, group_chat, client_for):
    client = client_for(bob)
    base = f"/api/v1/conversations/{group_chat.pk}"

    assert client.get(base).status_code == 200
    assert client.get(f"{base}/messages").status_code == 200
    assert client.post(f"{base}/messages", {"text": "x"}, format="json").status_code == 201
    assert client.post(f"{base}/read", {}, format="json").status_code == 200


def test_removed_member_loses_access_at_once(bob, trip, group_chat, client_for):
    trip.memberships.filter(user=bob).delete()

    response = client_for(bob).get(f"/api/v1/conversations/{group_chat.pk}/messages")

    assert_error(response, 404)


def test_third_person_cannot_see_a_direct_conversation(carol, direct, client_for):
    client = client_for(carol)
    base = f"/api/v1/conversations/{direct.pk}"

    assert_error(client.get(f"{base}/messages"), 404)
    assert_error(client.post(f"{base}/messages", {"text": "x"}, format="json"), 404)
    assert_error(client.post(f"{base}/read", {}, format="json"), 404)


def test_unknown_conversation_is_404(alice, client_for):
    assert_error(client_for(alice).get("/api/v1/conversations/999999/messages"), 404)
