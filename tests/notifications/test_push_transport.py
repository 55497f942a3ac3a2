"""push_send over real HTTP to the fake FCM server: the request FCM gets, the OAuth token, how
each FCM error is handled (retry, drop, deactivate the device), timeouts, and the attempt log."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from planpal.core.backoff import retry_delay
from planpal.notifications.models import Device, PushAttempt
from planpal.notifications.push.delivery import push_deliver
from planpal.notifications.push.services import RETRY_BASE_SECONDS, SKIPPED, push_send
from planpal.notifications.push.transport import PushMessage, parse_retry_after
from planpal.notifications.services import notification_mark_read
from tests.fakefcm.server import fcm_error

pytest_plugins = ["tests.fakefcm.plugin"]

Outcome = PushAttempt.Outcome


@pytest.fixture
def fcm(fake_fcm, settings, tmp_path):
    """PlanPal configured to push through the fake server, with credentials it issued."""
    settings.PUSH_TRANSPORT = "fcm"
    settings.FCM_CREDENTIALS_FILE = str(fake_fcm.write_service_account(tmp_path / "sa.json"))
    settings.FCM_ENDPOINT = fake_fcm.url
    settings.FCM_TOKEN_URI = ""
    settings.FCM_PROJECT_ID = ""
    settings.PUSH_TIMEOUT_SECONDS = 2.0
    settings.PUSH_MAX_ATTEMPTS = 5
    settings.PUSH_MAX_RETRY_DELAY_SECONDS = 600
    return fake_fcm


@pytest.fixture
def phone(alice):
    return Device.objects.create(user=alice, platform="android", token="alice-phone")


@pytest.fixture
def laptop(alice):
    return Device.objects.create(user=alice, platform="web", token="alice-laptop")


def send(device, **overrides):
    options = {
        "title": "Lisbon trip starts tomorrow",
        "body": "Meet at the station at 9:00.",
        "data": {"kind": "plan.reminder", "plan_id": 7},
        "collapse_key": "plan-7",
    }
    return push_send(device=device, **(options | overrides))


def attempts(device) -> list[tuple]:
    rows = PushAttempt.objects.filter(device=device).order_by("id")
    return [(a.attempt, a.outcome, a.http_status, a.error_code) for a in rows]


# ---------------------------------------------------------------------------- sending
def test_it_sends_the_notification_with_every_platforms_options(fcm, phone):
    outcome = send(phone, data={"kind": "plan.reminder", "plan_id": 7, "urgent": True})

    assert outcome.status == Outcome.SENT
    assert outcome.message_id.startswith("projects/planpal-test/messages/")
    assert outcome.retry_in is None
    [request] = fcm.sends
    assert request.path == "/v1/projects/planpal-test/messages:send"
    message = request.message
    assert message["token"] == "alice-phone"
    assert message["notification"] == {
        "title": "Lisbon trip starts tomorrow",
        "body": "Meet at the station at 9:00.",
    }
    assert message["data"] == {"kind": "plan.reminder", "plan_id": "7", "urgent": "true"}
    assert message["android"] == {"collapse_key": "plan-7", "priority": "HIGH", "ttl": "3600s"}
    apns = message["apns"]["headers"]
    assert (apns["apns-collapse-id"], apns["apns-priority"]) == ("plan-7", "10")
    assert abs(int(apns["apns-expiration"]) - (time.time() + 3600)) < 60
    assert message["webpush"]["headers"] == {"TTL": "3600", "Topic": "plan-7", "Urgency": "high"}


def test_a_low_priority_push_says_so_on_every_platform(fcm, phone):
    send(phone, high_priority=False, ttl_seconds=600)

    message = fcm.sends[0].message
    assert (message["android"]["priority"], message["android"]["ttl"]) == ("NORMAL", "600s")
    assert message["apns"]["headers"]["apns-priority"] == "5"
    assert message["webpush"]["headers"]["Urgency"] == "normal"
    assert message["webpush"]["headers"]["TTL"] == "600"


def test_a_collapse_key_web_push_cannot_carry_is_left_out_of_the_topic(fcm, laptop):
    send(laptop, collapse_key="chat:group:12")

    headers = fcm.sends[0].message["webpush"]["headers"]
    assert "Topic" not in headers
    assert fcm.sends[0].message["android"]["collapse_key"] == "chat:group:12"


def test_every_attempt_is_recorded(fcm, phone):
    fcm.script("alice-phone", ["UNAVAILABLE"])

    first = send(phone, attempt=1)
    second = send(phone, attempt=2)

    assert (first.status, second.status) == (Outcome.TRANSIENT, Outcome.SENT)
    assert attempts(phone) == [(1, "transient", 503, "UNAVAILABLE"), (2, "sent", None, "")]
    sent = PushAttempt.objects.get(outcome="sent")
    assert sent.message_id == second.message_id
    assert sent.latency_ms >= 0


def test_the_attempt_names_the_notification_it_delivers(fcm, phone, notify, alice):
    notification = notify(alice)

    send(phone, notification=notification)

    assert PushAttempt.objects.get().notification == notification


# ---------------------------------------------------------------------------- OAuth2
def test_it_fetches_the_access_token_once_and_reuses_it(fcm, phone, laptop):
    for device in (phone, laptop, phone):
        assert send(device).status == Outcome.SENT

    [token_request] = fcm.token_requests
    assert token_request.body["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert token_request.body["assertion"]
    bearers = {request.headers["authorization"] for request in fcm.sends}
    assert len(bearers) == 1 and bearers.pop().startswith("Bearer fake-access-")


def test_a_refused_access_token_is_fetched_again(fcm, phone):
    fcm.script("alice-phone", [fcm_error(401, "UNAUTHENTICATED", "Invalid credentials.")])

    refused = send(phone)
    sent = send(phone, attempt=2)

    assert (refused.status, refused.retry_in is not None) == (Outcome.TRANSIENT, True)
    assert sent.status == Outcome.SENT
    assert len(fcm.token_requests) == 2
    assert Device.objects.get(pk=phone.pk).active


def test_the_token_uri_setting_overrides_the_service_accounts(fcm, phone, settings, tmp_path):
    credentials = tmp_path / "sa.json"
    credentials.write_text(credentials.read_text().replace(fcm.token_uri, "http://127.0.0.1:9/x"))
    settings.FCM_TOKEN_URI = fcm.token_uri

    assert send(phone).status == Outcome.SENT
    assert len(fcm.token_requests) == 1


# ---------------------------------------------------------------------------- transient errors
def test_quota_exceeded_is_retried_no_sooner_than_retry_after(fcm, phone):
    fcm.script("alice-phone", [{"name": "QUOTA_EXCEEDED", "retry_after": 120}])

    outcome = send(phone)

    assert outcome.status == Outcome.TRANSIENT
    assert outcome.error_code == "QUOTA_EXCEEDED"
    assert 120 <= outcome.retry_in <= 600
    assert attempts(phone) == [(1, "transient", 429, "QUOTA_EXCEEDED")]
    assert Device.objects.get(pk=phone.pk).active


def test_retry_after_never_pushes_the_retry_past_the_cap(fcm, phone, settings):
    settings.PUSH_MAX_RETRY_DELAY_SECONDS = 60
    fcm.script(None, [{"name": "QUOTA_EXCEEDED", "retry_after": 3600}])

    assert send(phone).retry_in == 60


@pytest.mark.parametrize(("reply", "status"), [("UNAVAILABLE", 503), ("INTERNAL", 500)])
def test_server_errors_are_transient(fcm, phone, reply, status):
    fcm.script("alice-phone", [reply])

    outcome = send(phone)

    assert outcome.status == Outcome.TRANSIENT
    assert 0 <= outcome.retry_in <= 2  # first retry: full jitter over 2 s
    assert attempts(phone) == [(1, "transient", status, reply)]
    assert Device.objects.get(pk=phone.pk).active


def test_the_last_attempt_is_not_retried(fcm, phone, settings):
    settings.PUSH_MAX_ATTEMPTS = 3
    fcm.script(None, ["UNAVAILABLE"])

    outcome = send(phone, attempt=3)

    assert (outcome.status, outcome.retry_in) == (Outcome.TRANSIENT, None)


def test_a_server_that_is_down_is_transient(fcm, phone, settings):
    settings.FCM_ENDPOINT = "http://127.0.0.1:9"  # discard port: nothing listens

    outcome = send(phone)

    assert (outcome.status, outcome.error_code) == (Outcome.TRANSIENT, "CONNECTION")
    assert outcome.retry_in is not None
    assert attempts(phone) == [(1, "transient", None, "CONNECTION")]


@pytest.mark.django_db(transaction=True)
def test_a_hanging_server_times_out_without_holding_up_other_sends(fcm, settings, alice):
    settings.PUSH_TIMEOUT_SECONDS = 0.5
    phone = Device.objects.create(user=alice, platform="android", token="alice-phone")
    laptop = Device.objects.create(user=alice, platform="web", token="alice-laptop")
    send(laptop)  # the access token is fetched before the race
    fcm.script("alice-phone", [{"name": "HANG", "seconds": 10}])
    results = {}

    def push(device):
        started = time.monotonic()
        try:
            results[device.token] = (send(device), time.monotonic() - started)
        finally:
            connection.close()

    hanging = threading.Thread(target=push, args=(phone,))
    hanging.start()
    while not [r for r in fcm.sends if r.message["token"] == "alice-phone"]:
        time.sleep(0.01)
    push(laptop)
    hanging.join(timeout=5)

    laptop_outcome, laptop_seconds = results["alice-laptop"]
    phone_outcome, phone_seconds = results["alice-phone"]
    assert laptop_outcome.status == Outcome.SENT
    assert laptop_seconds < 0.5  # sent while the phone's request was still hanging
    assert (phone_outcome.status, phone_outcome.error_code) == (Outcome.TRANSIENT, "TIMEOUT")
    assert phone_outcome.retry_in is not None
    assert 0.5 <= phone_seconds < 1.5
    assert attempts(phone) == [(1, "transient", None, "TIMEOUT")]
    assert PushAttempt.objects.get(device=phone).latency_ms >= 500


# ---------------------------------------------------------------------------- dead tokens
@pytest.mark.parametrize(
    ("reply", "status", "code"),
    [
        ("UNREGISTERED", 404, "UNREGISTERED"),
        ("SENDER_ID_MISMATCH", 403, "SENDER_ID_MISMATCH"),
        ("INVALID_TOKEN", 400, "INVALID_ARGUMENT"),
    ],
)
def test_a_dead_token_deactivates_the_device(fcm, phone, reply, status, code):
    fcm.script("alice-phone", [reply])

    outcome = send(phone)

    assert (outcome.status, outcome.error_code, outcome.retry_in) == ("token_invalid", code, None)
    assert phone.active is False
    assert Device.objects.get(pk=phone.pk).active is False
    assert attempts(phone) == [(1, "token_invalid", status, code)]


def test_a_deactivated_device_is_never_sent_to_again(fcm, phone):
    fcm.script("alice-phone", ["UNREGISTERED"])
    send(phone)

    again = send(phone, attempt=2)

    assert again.status == SKIPPED
    assert len(fcm.sends) == 1
    assert PushAttempt.objects.count() == 1


def test_an_inactive_device_gets_nothing_even_from_a_stale_instance(fcm, phone):
    Device.objects.filter(pk=phone.pk).update(active=False)  # e.g. by a concurrent send

    assert send(phone).status == SKIPPED
    assert fcm.received == []


def test_a_rejected_payload_keeps_the_device_and_is_not_retried(fcm, phone):
    fcm.script("alice-phone", [{"name": "INVALID_ARGUMENT", "field": "message.data"}])

    outcome = send(phone)

    assert (outcome.status, outcome.retry_in) == (Outcome.REJECTED, None)
    assert Device.objects.get(pk=phone.pk).active
    assert attempts(phone) == [(1, "rejected", 400, "INVALID_ARGUMENT")]


def test_other_devices_are_untouched_by_one_dead_token(fcm, phone, laptop):
    fcm.script("alice-phone", ["UNREGISTERED"])

    assert send(phone).status == Outcome.TOKEN_INVALID
    assert send(laptop).status == Outcome.SENT
    assert Device.objects.get(pk=laptop.pk).active


# ---------------------------------------------------------------------------- log transport
def test_without_credentials_pushes_go_to_the_log(phone, settings, caplog):
    settings.PUSH_TRANSPORT = "log"
    caplog.set_level("INFO", logger="planpal.notifications.push.transport")

    outcome = send(phone)

    assert outcome.status == Outcome.SENT
    assert outcome.message_id.startswith("log/")
    assert "Lisbon trip starts tomorrow" in caplog.text
    assert attempts(phone) == [(1, "sent", None, "")]


def test_fcm_reserved_data_keys_are_refused_before_sending():
    message = PushMessage(token="t", title="x", body="y", data={"google.c.a": "1"})

    with pytest.raises(ValueError, match="reserves"):
        message.string_data()


# ---------------------------------------------------------------------------- delays
def test_the_backoff_window_doubles_with_each_attempt():
    windows = [
        retry_delay(n, base=RETRY_BASE_SECONDS, cap=600, rand=lambda: 1.0) for n in range(1, 7)
    ]

    assert windows == [2, 4, 8, 16, 32, 64]
    assert retry_delay(20, base=RETRY_BASE_SECONDS, cap=600, rand=lambda: 1.0) == 600


def test_the_backoff_is_fully_jittered():
    assert retry_delay(5, base=RETRY_BASE_SECONDS, cap=600, rand=lambda: 0.0) == 0
    assert retry_delay(5, base=RETRY_BASE_SECONDS, cap=600, rand=lambda: 0.25) == 8


def test_retry_after_is_a_floor_and_the_cap_a_ceiling():
    assert retry_delay(1, base=RETRY_BASE_SECONDS, retry_after=30, cap=600, rand=lambda: 0.5) == 30
    assert retry_delay(8, base=RETRY_BASE_SECONDS, retry_after=30, cap=600, rand=lambda: 1.0) == 256
    assert retry_delay(1, base=RETRY_BASE_SECONDS, retry_after=3600, cap=600) == 600


def test_retry_after_is_read_as_seconds_or_an_http_date():
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    assert parse_retry_after("17") == 17
    assert parse_retry_after(later, now=now) == 90
    assert parse_retry_after("Fri, 27 Nov 2026 12:00:00 GMT", now=now) == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


# ---------------------------------------------------------------------------- delivery
def test_a_retry_after_the_notification_was_read_sends_nothing(fcm, phone, notify, alice):
    notification = notify(alice)
    fcm.script("alice-phone", ["UNAVAILABLE"])
    first = push_deliver(notification_id=notification.pk, device_id=phone.pk, attempt=1)
    assert first.retry_in is not None
    notification_mark_read(actor=alice, notification_id=notification.pk)

    assert push_deliver(notification_id=notification.pk, device_id=phone.pk, attempt=2) is None
    assert len(fcm.sends) == 1
    assert attempts(phone) == [(1, Outcome.TRANSIENT, 503, "UNAVAILABLE")]


def test_a_redelivered_task_never_pushes_twice(fcm, phone, notify, alice):
    notification = notify(alice)
    sent = push_deliver(notification_id=notification.pk, device_id=phone.pk, attempt=1)
    assert sent.status == Outcome.SENT
    assert push_deliver(notification_id=notification.pk, device_id=phone.pk, attempt=1) is None
    assert len(fcm.sends) == 1
