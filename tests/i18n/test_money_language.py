"""Money texts in the reader's language: a budget notice with Vietnamese separators for a
Vietnamese member, English for the others, and a money error in Vietnamese."""

import pytest
from django.utils import translation

from planpal.money import services
from planpal.money.summaries import amount_text
from planpal.notifications.models import Notification
from tests.conftest import assert_error
from tests.money.factories import spend


def test_an_amount_reads_with_the_languages_separators():
    with translation.override("vi"):
        assert amount_text("1250000.50", "USD") == "1.250.000,50 USD"
    with translation.override("en"):
        assert amount_text("1250000.50", "USD") == "1,250,000.50 USD"


@pytest.mark.django_db(transaction=True)
def test_a_budget_notice_is_written_in_each_members_language(trip_plan, alice, bob, carol):
    carol.language = "vi"
    carol.save()
    services.budget_set(actor=bob, plan_id=trip_plan.pk, amount="1000000")
    spend(alice, trip_plan, "850000")
    told = dict(Notification.objects.filter(kind="plan.budget_80").values_list("user_id", "body"))
    assert told[carol.pk] == "Đã chi 850.000 VND trên tổng 1.000.000 VND."
    assert told[bob.pk] == "850,000 VND spent of 1,000,000 VND."


@pytest.mark.django_db
def test_a_money_error_comes_back_in_vietnamese(trip_plan, bob, client_for):
    body = {"amount": "-5"}
    response = client_for(bob).put(
        f"/api/v1/plans/{trip_plan.pk}/budget", body, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    error = assert_error(response, 400, "invalid")
    assert error["fields"]["amount"] == ["Số tiền phải lớn hơn 0."]
