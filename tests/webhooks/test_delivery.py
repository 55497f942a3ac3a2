"""Delivery in this process (deliveries run right after commit): which events an endpoint
gets, the test and redeliver actions, backoff, and giving up after the retry window."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from planpal.core.backoff import retry_delay
from planpal.groups import services as groups
from planpal.notifications.models import Notification
from planpal.ops.housekeeping import housekeep
from planpal.plans import services as plans
from planpal.webhooks.delivery import deliveries_run, endpoints_due
from planpal.webhooks.models import WebhookDelivery
from planpal.webhooks.tasks import sweep_webhooks
from tests.webhooks.conftest import make_endpoint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_private", "inline_tasks"),
]


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def received_events(receiver) -> list[tuple[str, str, int | None]]:
    return [(r.event["event"], r.event["topic"], r.event["seq"]) for r in receiver.accepted()]


def test_an_endpoint_gets_the_chosen_events_of_its_group_and_plans_once(trip, receiver):
    make_endpoint(trip.group, trip.alice, receiver.url, ["plan.created", "group.updated"])
    groups.group_update(actor=trip.alice, group_id=trip.group.pk, name="Dalat 2")
    plan = plans.plan_create(
        actor=trip.alice,
        title="Hanoi",
        group_id=trip.group.pk,
        start_at=trip.plan.start_at,
        end_at=trip.plan.end_at,
    )
    plans.activity_complete(actor=trip.alice, activity_id=trip.activities[0].pk)  # not chosen
    personal = plans.plan_create(
        actor=trip.alice, title="Mine", start_at=trip.plan.start_at, end_at=trip.plan.end_at
    )
    assert personal.group_id is None

    # plan.created is also written to the group's topic (its plan list): sent once, from the plan.
    assert received_events(receiver) == [
        ("group.updated", trip.group_topic, 1),
        ("plan.created", f"plan:{plan.pk}", 1),
    ]


def test_a_rolled_back_change_sends_nothing(trip, receiver):
    make_endpoint(trip.group, trip.alice, receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        groups.group_update(actor=trip.alice, group_id=trip.group.pk, name="Never")
        raise RuntimeError("boom")
    assert not WebhookDelivery.objects.exists() and receiver.all() == []


def test_send_a_test_event_and_redeliver_it(trip, receiver, verify):
    endpoint = make_endpoint(trip.group, trip.alice, receiver.url, ["group.updated"])
    api = client(trip.alice)
    test = api.post(f"/api/v1/webhooks/{endpoint.pk}/test")
    assert test.status_code == 202, test.content
    [request] = receiver.accepted()
    assert request.event["data"] == {
        "webhook_id": endpoint.pk,
        "group_id": trip.group.pk,
        "message": "This is a test event from PlanPal.",
    }
    assert verify(endpoint.secret, request.headers["planpal-signature"], request.body)

    again = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{test.json()['id']}/redeliver")
    assert again.status_code == 202, again.content
    first, second = receiver.accepted()
    assert first.body == second.body
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]

    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").json()["results"]
    assert [(d["event"], d["status"], d["attempts"]) for d in log] == [
        ("webhook.test", "delivered", 1)
    ] * 2
    assert log[0]["redelivery_of"] == log[1]["id"] and log[0]["event_id"] == log[1]["event_id"]
    missing = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/999999/redeliver")
    assert missing.status_code == 404


def test_failures_back_off_then_disable_the_endpoint_and_tell_its_owners(
    trip, receiver, settings, time_machine
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_WINDOW_SECONDS = 3600
    groups.member_set_role(
        actor=trip.alice, group_id=trip.group.pk, user_id=trip.bob.pk, role="admin"
    )
    endpoint = make_endpoint(trip.group, trip.bob, receiver.url, ["group.updated"])
    receiver.answer(503)
    time_machine.move_to(timezone.now(), tick=False)
    groups.group_update(actor=trip.alice, group_id=trip.group.pk, name="Retry me")
    groups.group_update(actor=trip.alice, group_id=trip.group.pk, name="And me")

    head, behind = WebhookDelivery.objects.order_by("id")
    head.refresh_from_db()
    assert head.attempts == 1 and head.status == "pending"
    delay = (head.next_attempt_at - timezone.now()).total_seconds()
    assert 5 <= delay <= 10
    assert endpoints_due() == []  # not due yet; and nothing behind the head was tried
    assert [r.headers["idempotency-key"] for r in receiver.all()] == [str(head.event_id)]

    delays = []
    while True:
        time_machine.move_to(head.next_attempt_at)
        assert endpoints_due() == [endpoint.pk]
        deliveries_run(endpoint_id=endpoint.pk)
        head.refresh_from_db()
        if head.status != "pending":
            break
        delays.append((head.next_attempt_at - timezone.now()).total_seconds())

    behind.refresh_from_db()
    assert head.status == behind.status == "failed"
    # Doubling windows, half jittered, capped; the last one is cut short by the window's end.
    windows = [min(1800, 10 * 2 ** (failures - 1)) for failures in range(2, len(delays) + 1)]
    assert all(w / 2 <= d <= w for d, w in zip(delays, windows, strict=False)), delays
    assert 0 < delays[-1] <= 1800 and 3600 - 1800 < sum(delays) + delay <= 3600.01
    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.disabled_reason
    notified = Notification.objects.filter(kind="webhook.disabled").order_by("user_id")
    assert [n.user_id for n in notified] == [trip.alice.pk, trip.bob.pk]  # owner and creator
    assert json.loads(json.dumps(notified[0].data)) == {
        "webhook_id": endpoint.pk,
        "group_id": trip.group.pk,
    }
    assert all(r.status == 503 for r in receiver.all())
    assert {r.headers["idempotency-key"] for r in receiver.all()} == {str(head.event_id)}


def test_retry_delays_grow_and_stay_below_the_cap():
    low = [retry_delay(n, base=10, cap=1800, floor=0.5, rand=lambda: 0.0) for n in range(1, 12)]
    high = [retry_delay(n, base=10, cap=1800, floor=0.5, rand=lambda: 1.0) for n in range(1, 12)]
    assert low[:4] == [5, 10, 20, 40] and high[:4] == [10, 20, 40, 80]
    assert max(high) == 1800 and high == sorted(high)
    assert retry_delay(10_000, base=10, cap=1800, floor=0.5) <= 1800


def test_a_lost_task_is_restarted_by_the_sweep(trip, receiver, settings):
    endpoint = make_endpoint(trip.group, trip.alice, receiver.url)
    settings.EMBEDDED = False  # the task goes nowhere: as if the worker lost it
    with mock.patch("planpal.webhooks.tasks.deliver_webhooks.apply_async_on_commit"):
        groups.group_update(actor=trip.alice, group_id=trip.group.pk, name="Lost")
    assert receiver.all() == []
    # A crashed holder's lease expires; the sweep finds the endpoint and runs it.
    endpoint.lease_token = "crashed"
    endpoint.lease_expires_at = timezone.now() - timedelta(seconds=1)
    endpoint.save()
    settings.EMBEDDED = True
    assert sweep_webhooks() == 1
    assert received_events(receiver) == [("group.updated", trip.group_topic, 1)]


def test_housekeeping_forgets_settled_deliveries_after_the_retention(trip, receiver):
    endpoint = make_endpoint(trip.group, trip.alice, receiver.url)
    old = timezone.now() - timedelta(days=31)
    for status in ("delivered", "failed", "pending"):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_name="group.updated", topic=trip.group_topic, status=status
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=old)
    recent = WebhookDelivery.objects.create(
        endpoint=endpoint, event_name="group.updated", topic=trip.group_topic, status="delivered"
    )

    assert housekeep()["webhook_deliveries_deleted"] == 2
    assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == [
        "delivered",
        "pending",
    ]
    assert WebhookDelivery.objects.filter(pk=recent.pk).exists()
