"""The admin shows chat data but does not change it (changes go through the services)."""

import pytest

from planpal.chat.models import Message


@pytest.fixture
def admin_client(client, db):
    from planpal.accounts.models import User

    User.objects.create_superuser("root", "root@example.com", "pw")
    client.login(username="root", password="pw")
    return client


def test_admin_lists_and_shows_chat_models_read_only(admin_client, alice, group_chat, direct, say):
    message = say(alice, group_chat, "Hi")

    for name in ("conversation", "message", "readstate"):
        assert admin_client.get(f"/admin/chat/{name}/").status_code == 200
    page = admin_client.get(f"/admin/chat/message/{message.pk}/change/")
    assert page.status_code == 200
    assert admin_client.get("/admin/chat/message/add/").status_code == 403
    admin_client.post(f"/admin/chat/message/{message.pk}/change/", {"text": "hacked"})
    assert Message.objects.get(pk=message.pk).text == "Hi"
