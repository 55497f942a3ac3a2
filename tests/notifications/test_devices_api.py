"""POST/GET/DELETE devices: push tokens that follow the account signed in on the device."""

import pytest

from planpal.notifications.models import Device
from tests.conftest import assert_error

URL = "/api/v1/devices"
TOKEN = "fcm-token-" + "a" * 140


def register(client, token=TOKEN, platform="android"):
    return client.post(URL, {"platform": platform, "token": token}, format="json")


def test_register_a_device(alice, client_for):
    response = register(client_for(alice))

    assert response.status_code == 201
    body = response.json()
    assert (body["platform"], body["token"], body["active"]) == ("android", TOKEN, True)
    assert Device.objects.get().user == alice


def test_registering_again_refreshes_it(alice, client_for):
    client = client_for(alice)
    first = register(client).json()
    Device.objects.update(active=False)

    again = register(client, platform="ios")

    assert again.status_code == 200
    body = again.json()
    assert body["id"] == first["id"]
    assert (body["active"], body["platform"]) == (True, "ios")
    assert body["last_seen_at"] >= first["last_seen_at"]
    assert Device.objects.count() == 1


def test_device_moves_to_whoever_registers_it_last(alice, bob, client_for):
    register(client_for(alice))
    Device.objects.update(active=False)  # e.g. FCM had rejected it for alice

    response = register(client_for(bob))

    assert response.status_code == 200
    device = Device.objects.get()
    assert (device.user, device.active) == (bob, True)
    assert client_for(alice).get(URL).json() == []
    assert [d["token"] for d in client_for(bob).get(URL).json()] == [TOKEN]


def test_list_shows_only_my_devices(alice, bob, client_for):
    register(client_for(alice), token="alice-phone")
    register(client_for(bob), token="bob-phone")

    assert [d["token"] for d in client_for(alice).get(URL).json()] == ["alice-phone"]


def test_unregister_by_token(alice, client_for):
    client = client_for(alice)
    register(client)

    response = client.delete(URL, {"token": TOKEN}, format="json")

    assert response.status_code == 204
    assert not Device.objects.exists()


def test_unregister_by_id(alice, client_for):
    client = client_for(alice)
    device_id = register(client).json()["id"]

    assert client.delete(f"{URL}/{device_id}").status_code == 204
    assert not Device.objects.exists()


def test_nobody_unregisters_someone_elses_device(alice, bob, client_for):
    device_id = register(client_for(alice)).json()["id"]
    client = client_for(bob)

    assert_error(client.delete(URL, {"token": TOKEN}, format="json"), 404)
    assert_error(client.delete(f"{URL}/{device_id}"), 404)
    assert Device.objects.get().user == alice


def test_unknown_device_is_404(alice, client_for):
    assert_error(client_for(alice).delete(URL, {"token": "nope"}, format="json"), 404)
    assert_error(client_for(alice).delete(f"{URL}/{10**30}"), 404)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"platform": "android"},
        {"token": TOKEN},
        {"platform": "blackberry", "token": TOKEN},
        {"platform": "android", "token": ""},
        {"platform": "android", "token": "   "},
        {"platform": "android", "token": "t" * 10_000},
        {"platform": "android", "token": 12345},
        {"platform": ["android"], "token": TOKEN},
        {"platform": "android", "token": None},
    ],
    ids=[
        "empty",
        "no-token",
        "no-platform",
        "unknown-platform",
        "empty-token",
        "blank-token",
        "huge-token",
        "numeric-token",
        "platform-list",
        "null-token",
    ],
)
def test_bad_registration_is_rejected(alice, client_for, body):
    assert_error(client_for(alice).post(URL, body, format="json"), 400, "invalid")
    assert not Device.objects.exists()


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": 7}, {"token": "t" * 10_000}])
def test_bad_unregistration_is_rejected(alice, client_for, body):
    client = client_for(alice)
    register(client)

    assert_error(client.delete(URL, body, format="json"), 400)
    assert Device.objects.count() == 1


def test_anonymous_gets_401(anon, db):
    assert_error(anon.get(URL), 401)
    assert_error(register(anon), 401)
    assert_error(anon.delete(URL, {"token": TOKEN}, format="json"), 401)
    assert_error(anon.delete(f"{URL}/1"), 401)
    assert not Device.objects.exists()


def test_logout_with_the_device_token_stops_pushes_to_that_phone(alice, client_for):
    from planpal.notifications.models import Device

    Device.objects.create(user=alice, platform="ios", token="alice-iphone")
    Device.objects.create(user=alice, platform="android", token="alice-tablet")
    client = client_for(alice)
    response = client.post("/api/v1/auth/logout", {"device_token": "alice-iphone"}, format="json")
    assert response.status_code == 204
    assert list(Device.objects.values_list("token", flat=True)) == ["alice-tablet"]
    again = client.post("/api/v1/auth/logout", {"device_token": "alice-iphone"}, format="json")
    assert again.status_code == 204
