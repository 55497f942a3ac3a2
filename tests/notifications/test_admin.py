"""The admin shows notifications and preferences read-only; devices can be switched off."""

import pytest

from planpal.notifications.models import Device


@pytest.fixture
def admin_client(client, db):
    from planpal.accounts.models import User

    User.objects.create_superuser("root", "root@example.com", "pw")
    client.login(username="root", password="pw")
    return client


def test_admin_pages_load(admin_client, alice, notify):
    notification = notify(alice)
    device = Device.objects.create(user=alice, platform="ios", token="t")

    for name in ("notification", "device", "notificationpreference"):
        assert admin_client.get(f"/admin/notifications/{name}/").status_code == 200
    assert (
        admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/").status_code
        == 200
    )
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403
    assert admin_client.get(f"/admin/notifications/device/{device.pk}/change/").status_code == 200
