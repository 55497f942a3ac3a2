"""An endpoint sends on its creator's authority (issue 13 #2): the moment the creator can no
longer manage the group — removed, left, demoted, account deactivated — the endpoint is
disabled with a reason, what it had queued is failed, and the remaining owners and admins are
told. Delivery checks it again before each send, so nothing queued leaks either way."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserChangeForm
from rest_framework.test import APIClient

from planpal.groups import services as groups
from planpal.notifications.models import Notification
from planpal.webhooks.delivery import deliveries_run
from planpal.webhooks.models import WebhookDelivery
from tests.webhooks.conftest import make_endpoint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_private", "inline_tasks"),
]


@pytest.fixture
def bobs_endpoint(trip, receiver):
    """bob is an admin of the group and created an endpoint that receives everything; carol,
    a second admin, will be among those told."""
    groups.member_set_role(
        actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk, role="admin"
    )
    from planpal.groups.models import Membership

    Membership.objects.create(group=trip.group, user=trip.carol, role="admin")
    return make_endpoint(trip.group, trip.bob, receiver.url)


def say(trip, text: str) -> None:
    groups.group_update(actor=trip.alice, group_id=trip.group.pk, description=text)


def sent_descriptions(receiver) -> list[str]:
    updates = [r.event for r in receiver.accepted() if r.event["event"] == "group.updated"]
    return [event["data"]["group"]["description"] for event in updates]


def told(endpoint) -> list[int]:
    notes = Notification.objects.filter(kind="webhook.disabled", data__webhook_id=endpoint.pk)
    return sorted(notes.values_list("user_id", flat=True))


def assert_stopped(endpoint, trip, receiver, *, reason: str) -> None:
    endpoint.refresh_from_db()
    assert endpoint.active is False
    assert reason in endpoint.disabled_reason, endpoint.disabled_reason
    assert not WebhookDelivery.objects.filter(endpoint=endpoint, status="pending").exists()
    say(trip, "after")  # a later event of the group
    assert "after" not in sent_descriptions(receiver)
    assert told(endpoint) == [trip.alice.pk, trip.carol.pk]  # the remaining managers, not bob


@pytest.mark.parametrize("how", ["removed", "left"])
def test_a_creator_who_leaves_the_group_takes_the_endpoint_down(trip, receiver, bobs_endpoint, how):
    say(trip, "before")
    receiver.answer(503)
    say(trip, "queued while the receiver was down")
    assert sent_descriptions(receiver) == ["before"]
    receiver.answer(200)

    actor = trip.alice if how == "removed" else trip.bob
    groups.member_remove(actor=actor, group_id=trip.group.pk, user_id=trip.bob.pk)
    deliveries_run(endpoint_id=bobs_endpoint.pk)

    assert_stopped(bobs_endpoint, trip, receiver, reason="no longer a member")
    assert "queued while the receiver was down" not in sent_descriptions(receiver)
    assert [r.event["event"] for r in receiver.all()].count("group.member_removed") == 0


def test_a_creator_demoted_to_member_takes_the_endpoint_down(trip, receiver, bobs_endpoint):
    groups.member_set_role(
        actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk, role="member"
    )

    assert_stopped(bobs_endpoint, trip, receiver, reason="no longer an owner or admin")


def test_an_admin_who_becomes_owner_keeps_the_endpoint(trip, receiver, bobs_endpoint):
    groups.member_set_role(
        actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk, role="owner"
    )
    say(trip, "still mine")

    bobs_endpoint.refresh_from_db()
    assert bobs_endpoint.active and "still mine" in sent_descriptions(receiver)


def test_deactivating_the_creators_account_in_the_admin_takes_the_endpoint_down(
    trip, receiver, bobs_endpoint, client
):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    form = UserChangeForm(instance=trip.bob)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "is_active": "",  # unticked
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": trip.bob.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": trip.bob.date_joined.strftime("%H:%M:%S"),
            "display_name": trip.bob.display_name,
            "timezone": trip.bob.timezone,
            "avatar_url": "",
        }
    )
    data = {key: value for key, value in data.items() if value not in (False, [])}

    response = client.post(f"/admin/accounts/user/{trip.bob.pk}/change/", data)

    assert response.status_code == 302, response.content[:2000]
    trip.bob.refresh_from_db()
    assert trip.bob.is_active is False
    assert_stopped(bobs_endpoint, trip, receiver, reason="was deactivated")


def test_delivery_checks_the_creator_before_each_send(trip, receiver, bobs_endpoint):
    """A deactivation that no hook saw (a shell, a script): the queued deliveries still never
    leave, and the managers are told."""
    receiver.answer(503)
    say(trip, "queued")
    receiver.answer(200)
    get_user_model().objects.filter(pk=trip.bob.pk).update(is_active=False)

    deliveries_run(endpoint_id=bobs_endpoint.pk)

    assert receiver.accepted() == []
    assert_stopped(bobs_endpoint, trip, receiver, reason="can no longer manage the group")


def test_enabling_it_again_makes_the_enabling_manager_its_creator(trip, receiver, bobs_endpoint):
    groups.member_remove(actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk)
    api = APIClient()
    api.force_authenticate(user=trip.carol)

    response = api.patch(f"/api/v1/webhooks/{bobs_endpoint.pk}", {"active": True}, format="json")
    say(trip, "on carol's authority")

    assert response.status_code == 200, response.content
    assert response.json()["created_by"]["username"] == "carol"
    assert "on carol's authority" in sent_descriptions(receiver)
