"""The webhooks REST API: who may manage endpoints, what is validated, the secret shown once,
rotation, enabling and disabling."""

import pytest
from rest_framework.test import APIClient

from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db(transaction=True)


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def create(trip, user=None, **body):
    body = {"url": "https://hooks.example.com/planpal", "events": ["*"], **body}
    return client(user or trip.alice).post(
        f"/api/v1/groups/{trip.group.pk}/webhooks", body, format="json"
    )


@pytest.fixture
def public_dns(monkeypatch):
    """hooks.example.com resolves to a public address (no network in tests)."""
    import socket

    def resolve(host, port, *args, **kwargs):
        address = {"hooks.example.com": "93.184.215.14"}.get(host, host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def test_an_owner_registers_a_webhook_and_sees_its_secret_once(trip, public_dns):
    response = create(trip, events=["plan.activity_completed", "group.member_added"])
    assert response.status_code == 201, response.content
    hook = response.json()
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["events"] == ["group.member_added", "plan.activity_completed"]
    assert hook["active"] is True and hook["group"] == trip.group.pk
    assert hook["created_by"]["username"] == "alice"

    api = client(trip.alice)
    detail = api.get(f"/api/v1/webhooks/{hook['id']}").json()
    listing = api.get(f"/api/v1/groups/{trip.group.pk}/webhooks").json()["results"]
    assert "secret" not in detail and [h["id"] for h in listing] == [hook["id"]]
    assert all("secret" not in h for h in listing)


def test_members_get_403_and_strangers_404(trip, public_dns):
    hook = create(trip).json()
    assert_error(create(trip, user=trip.bob), 403, "forbidden")
    assert_error(create(trip, user=trip.carol), 404, "not_found")
    for user, status in [(trip.bob, 403), (trip.carol, 404)]:
        api = client(user)
        assert_error(api.get(f"/api/v1/groups/{trip.group.pk}/webhooks"), status)
        assert_error(api.get(f"/api/v1/webhooks/{hook['id']}"), status)
        assert_error(api.delete(f"/api/v1/webhooks/{hook['id']}"), status)
        assert_error(api.post(f"/api/v1/webhooks/{hook['id']}/test"), status)
        assert_error(api.get(f"/api/v1/webhooks/{hook['id']}/deliveries"), status)
    assert WebhookEndpoint.objects.filter(pk=hook["id"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.example.com/x"}, "url"),
        ({"url": "https://127.0.0.1/x"}, "url"),
        ({"url": "https://10.1.2.3/x"}, "url"),
        ({"url": "https://169.254.169.254/latest/meta-data"}, "url"),
        ({"url": "https://[::1]/x"}, "url"),
        ({"url": "https://[::ffff:127.0.0.1]/x"}, "url"),
        ({"url": "https://[64:ff9b::a9fe:a9fe]/latest/meta-data"}, "url"),  # NAT64 (#7)
        ({"url": "https://[2002:a9fe:a9fe::]/latest/meta-data"}, "url"),  # 6to4 (#7)
        ({"url": "https://user:pw@hooks.example.com/x"}, "url"),
        ({"url": "ftp://hooks.example.com/x"}, "url"),
        ({"url": "https://hooks.example.com:99999/x"}, "url"),
        ({"events": ["plan.exploded"]}, "events"),
        ({"events": ["direct.message_sent"]}, "events"),
        ({"events": []}, "events"),
        ({"events": "plan.created"}, "events"),
        ({"url": 42}, "url"),
    ],
)
def test_bad_urls_and_events_are_refused(trip, public_dns, body, field):
    error = assert_error(create(trip, **body), 400)
    assert field in error["fields"], error
    assert not WebhookEndpoint.objects.exists()


def test_a_group_has_at_most_ten_webhooks(trip, public_dns):
    for _ in range(10):
        assert create(trip).status_code == 201
    assert_error(create(trip), 409, "conflict")


def test_rotating_keeps_the_old_secret_valid_for_the_grace_period(trip, public_dns):
    hook = create(trip).json()
    api = client(trip.alice)
    rotated = api.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", {}, format="json").json()
    assert rotated["secret"] != hook["secret"] and rotated["previous_secret_valid_until"]
    endpoint = WebhookEndpoint.objects.get(pk=hook["id"])
    assert endpoint.signing_secrets() == [rotated["secret"], hook["secret"]]

    url = f"/api/v1/webhooks/{hook['id']}/rotate-secret"
    again = api.post(url, {"grace_seconds": 0}, format="json").json()
    assert again["previous_secret_valid_until"] is None
    assert WebhookEndpoint.objects.get(pk=hook["id"]).signing_secrets() == [again["secret"]]
    assert_error(api.post(url, {"grace_seconds": -1}, format="json"), 400)


def test_disabling_fails_what_is_queued_and_enabling_resumes(trip, public_dns):
    hook = create(trip).json()
    endpoint = WebhookEndpoint.objects.get(pk=hook["id"])
    queued = WebhookDelivery.objects.create(
        endpoint=endpoint, event_name="group.updated", topic=trip.group_topic, seq=1
    )
    api = client(trip.alice)
    off = api.patch(f"/api/v1/webhooks/{hook['id']}", {"active": False}, format="json").json()
    assert off["active"] is False and off["disabled_reason"] == "Disabled by Alice."
    queued.refresh_from_db()
    assert queued.status == "failed" and queued.last_error == "webhook disabled"
    assert_error(api.post(f"/api/v1/webhooks/{hook['id']}/test"), 409, "conflict")

    on = api.patch(
        f"/api/v1/webhooks/{hook['id']}", {"active": True, "events": ["group.*"]}, format="json"
    )
    assert_error(on, 400)  # not a known name: nothing changed
    on = api.patch(f"/api/v1/webhooks/{hook['id']}", {"active": True}, format="json").json()
    assert on["active"] is True and on["disabled_at"] is None


def test_deleting_a_webhook(trip, public_dns):
    hook = create(trip).json()
    assert client(trip.alice).delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert_error(client(trip.alice).get(f"/api/v1/webhooks/{hook['id']}"), 404)


def test_the_admin_browses_webhooks_without_showing_secrets(trip, public_dns, client):
    from planpal.accounts.models import User

    hook = create(trip).json()
    endpoint = WebhookEndpoint.objects.get(pk=hook["id"])
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_name="group.updated", topic=trip.group_topic, seq=1
    )
    User.objects.create_superuser("root", "root@example.com", "pw")
    client.login(username="root", password="pw")
    page = client.get(f"/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200 and hook["secret"].encode() not in page.content
    assert client.get("/admin/webhooks/webhookendpoint/").status_code == 200
    assert client.get(f"/admin/webhooks/webhookdelivery/{delivery.pk}/change/").status_code == 200
    assert client.get("/admin/webhooks/webhookdelivery/add/").status_code == 403


def test_deleting_the_group_deletes_its_webhooks(trip, public_dns):
    from planpal.groups.services import group_delete

    create(trip)
    group_delete(actor=trip.alice, group_id=trip.group.pk)
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
