"""What a Vietnamese reader gets (docs/i18n.md): API errors in the request's language (the
profile's, else Accept-Language), and notifications, pushes and mails in the recipient's own
language whoever caused them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from planpal.accounts import services as accounts
from planpal.accounts.tokens import token_pair
from planpal.core import background
from planpal.notifications.models import Device, Notification
from planpal.notifications.push.delivery import push_deliver
from planpal.plans import services as plans
from planpal.plans.models import Plan
from planpal.plans.scheduling import plan_reminders_send_due
from tests.conftest import PASSWORD, assert_error, make_user
from tests.factories import make_group, make_trip_plan

pytest_plugins = ["tests.fakefcm.plugin"]


def bearer(user, accept_language: str = "") -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token_pair(user)['access']}",
        HTTP_ACCEPT_LANGUAGE=accept_language,
    )
    return client


def vietnamese(username: str):
    return make_user(username, language="vi")


# ---------------------------------------------------------------------------- API errors
@pytest.mark.django_db
def test_with_accept_language_vi_an_api_error_comes_back_in_vietnamese(anon):
    body = {"username": "nobody", "password": PASSWORD}
    response = anon.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    error = assert_error(response, 400, "invalid_credentials")
    assert error["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert response["Content-Language"] == "vi"


@pytest.mark.django_db
def test_without_accept_language_the_same_error_is_in_english(anon):
    body = {"username": "nobody", "password": PASSWORD}
    error = assert_error(anon.post("/api/v1/auth/login", body, format="json"), 400)
    assert error["message"] == "Invalid username or password."


@pytest.mark.django_db
def test_a_user_whose_profile_says_vi_gets_vietnamese_errors_whatever_the_browser_says(alice):
    alice.language = "vi"
    alice.save()
    error = assert_error(bearer(alice, "en").get("/api/v1/plans/999999"), 404, "not_found")
    assert error["message"] == "Không tìm thấy kế hoạch."


@pytest.mark.django_db
def test_a_frameworks_validation_message_is_in_vietnamese_too(anon):
    """DRF's own messages ("This field is required.") come from PlanPal's catalogue."""
    response = anon.post("/api/v1/auth/register", {}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    error = assert_error(response, 400, "invalid")
    assert error["fields"]["username"] == ["Trường này là bắt buộc."]
    response = anon.post(
        "/api/v1/auth/register",
        {"username": "lan", "email": "nope", "password": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert assert_error(response, 400)["fields"]["email"] == ["Hãy nhập một địa chỉ email hợp lệ."]


@pytest.mark.django_db
def test_a_field_error_names_the_field_in_vietnamese(alice):
    client = bearer(alice, "vi")
    response = client.patch("/api/v1/me", {"timezone": "Mars/Olympus"}, format="json")
    error = assert_error(response, 400)
    assert error["message"] == "Yêu cầu không hợp lệ."
    assert error["fields"]["timezone"] == ["Múi giờ không xác định 'Mars/Olympus'."]


@pytest.mark.django_db
def test_the_activity_feed_is_told_in_the_readers_language(alice, bob):
    group = make_group("Đà Lạt", owner=alice, members=[bob])
    plan = make_trip_plan(group, creator=alice, start=timezone.now() + timedelta(days=3))
    plans.activity_complete(actor=alice, activity_id=plan.activities_made[0].pk)
    feed = bearer(bob, "vi").get(f"/api/v1/plans/{plan.pk}/events").json()["results"]
    assert feed[0]["summary"] == "Alice đã hoàn thành Coffee"
    feed = bearer(bob, "en").get(f"/api/v1/plans/{plan.pk}/events").json()["results"]
    assert feed[0]["summary"] == "Alice completed Coffee"


# ---------------------------------------------------------------------------- for someone else
@pytest.mark.django_db(transaction=True)
def test_each_recipient_reads_a_notification_in_their_own_language(alice):
    lan, emma = vietnamese("lan"), make_user("emma")
    group = make_group("Đà Lạt", owner=alice, members=[lan, emma])
    plan = make_trip_plan(group, creator=alice, start=timezone.now() + timedelta(days=3))
    plans.activity_complete(actor=alice, activity_id=plan.activities_made[0].pk)
    told = dict(
        Notification.objects.filter(kind="plan.activity_completed").values_list("user_id", "body")
    )
    assert told == {lan.pk: "Alice đã hoàn thành Coffee", emma.pk: "Alice completed Coffee"}


@pytest.mark.django_db(transaction=True)
def test_the_actors_language_does_not_decide_the_recipients(alice):
    """Lan writes in Vietnamese; Emma, who chose nothing, reads English."""
    lan, emma = vietnamese("lan"), make_user("emma")
    accounts.friend_request(actor=lan, user_id=emma.pk)
    accounts.friend_request(actor=alice, user_id=lan.pk)
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles == {emma.pk: "Lan wants to be friends", lan.pk: "Alice muốn kết bạn với bạn"}


@pytest.mark.django_db(transaction=True)
def test_a_reminder_names_the_time_in_the_recipients_language(alice, settings):
    lan = vietnamese("lan")
    group = make_group("Đà Lạt", owner=alice, members=[lan])
    start = timezone.now() + timedelta(minutes=30)
    make_trip_plan(group, creator=alice, start=start, title="Đà Lạt")
    Plan.objects.update(created_at=timezone.now() - timedelta(days=2))
    settings.PLAN_REMINDER_OFFSETS_MINUTES = [60]
    with transaction.atomic():
        assert plan_reminders_send_due() == 2
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles == {alice.pk: "Đà Lạt starts in 1 hour", lan.pk: "Đà Lạt sẽ bắt đầu sau 1 giờ"}


@pytest.mark.django_db(transaction=True)
def test_a_push_to_a_vietnamese_user_is_in_vietnamese(alice, fake_fcm, settings, tmp_path):
    settings.PUSH_TRANSPORT = "fcm"
    settings.FCM_CREDENTIALS_FILE = str(fake_fcm.write_service_account(tmp_path / "sa.json"))
    settings.FCM_ENDPOINT = fake_fcm.url
    settings.FCM_TOKEN_URI = ""
    settings.FCM_PROJECT_ID = ""
    lan = vietnamese("lan")
    phone = Device.objects.create(user=lan, platform="android", token="lan-phone")
    accounts.friend_request(actor=alice, user_id=lan.pk)
    notification = Notification.objects.get(user=lan)

    push_deliver(notification_id=notification.pk, device_id=phone.pk, attempt=1)

    [sent] = fake_fcm.sends
    assert sent.message["token"] == "lan-phone"
    assert sent.message["notification"]["title"] == "Alice muốn kết bạn với bạn"


@pytest.mark.django_db
def test_the_password_reset_mail_is_in_the_account_holders_language(anon, monkeypatch):
    """Asked from an English browser, written in Lan's Vietnamese (the mail goes out from a task,
    run here)."""
    monkeypatch.setattr(background, "enqueue", lambda task, **kwargs: task(**kwargs))
    vietnamese("lan")
    response = anon.post(
        "/api/v1/auth/password-reset",
        {"email": "lan@example.com"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 202
    [message] = mail.outbox
    assert message.subject == "Đặt lại mật khẩu PlanPal của bạn"
    assert message.body.startswith("Xin chào Lan,")
    assert "đặt lại mật khẩu cho tài khoản PlanPal lan" in message.body
