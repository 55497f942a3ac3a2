"""GET/PUT notification-preferences: mutes of visible groups and plans, kinds, quiet hours."""

import pytest

from planpal.notifications.models import NotificationPreference
from tests.conftest import assert_error
from tests.factories import insert_plan, make_group

URL = "/api/v1/notification-preferences"
DEFAULTS = {
    "muted_group_ids": [],
    "muted_plan_ids": [],
    "disabled_kinds": [],
    "quiet_hours_start": None,
    "quiet_hours_end": None,
}


@pytest.fixture
def trip(alice, bob):
    return make_group("Lisbon trip", owner=alice, members=[bob])


def test_defaults_without_writing_anything(alice, client_for):
    assert client_for(alice).get(URL).json() == DEFAULTS
    assert not NotificationPreference.objects.exists()


def test_update_everything(alice, bob, trip, client_for, events):
    group_plan = insert_plan("Lisbon", creator=bob, group=trip)
    personal = insert_plan("Dentist", creator=alice)
    shared = insert_plan("Hike", creator=bob, participants=[alice])
    body = {
        "muted_group_ids": [trip.pk, trip.pk],
        "muted_plan_ids": [shared.pk, group_plan.pk, personal.pk],
        "disabled_kinds": ["chat.message", "plan.updated"],
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:30",
    }

    response = client_for(alice).put(URL, body, format="json")

    assert response.status_code == 200
    expected = {
        "muted_group_ids": [trip.pk],
        "muted_plan_ids": sorted([shared.pk, group_plan.pk, personal.pk]),
        "disabled_kinds": ["chat.message", "plan.updated"],
        "quiet_hours_start": "22:00:00",
        "quiet_hours_end": "07:30:00",
    }
    assert response.json() == expected
    assert client_for(alice).get(URL).json() == expected
    [(_, name, payload)] = events(f"user:{alice.pk}")
    assert (name, payload) == ("notification.preferences_updated", expected)


def test_omitted_fields_stay_as_they_were(alice, trip, client_for):
    client = client_for(alice)
    client.put(URL, {"muted_group_ids": [trip.pk]}, format="json")

    body = client.put(URL, {"disabled_kinds": ["plan.reminder"]}, format="json").json()

    assert body["muted_group_ids"] == [trip.pk]
    assert body["disabled_kinds"] == ["plan.reminder"]


def test_saving_the_same_preferences_again_announces_nothing(alice, trip, client_for, events):
    client = client_for(alice)
    client.put(URL, {"muted_group_ids": [trip.pk]}, format="json")
    client.patch(URL, {"muted_group_ids": [trip.pk]}, format="json")

    assert len(events(f"user:{alice.pk}")) == 1


def test_quiet_hours_can_be_cleared_together(alice, client_for):
    client = client_for(alice)
    client.put(URL, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}, format="json")

    body = client.put(URL, {"quiet_hours_start": None, "quiet_hours_end": None}, format="json")

    assert body.json()["quiet_hours_start"] is None


def test_groups_i_am_not_in_cannot_be_muted(dave, trip, client_for):
    response = client_for(dave).put(URL, {"muted_group_ids": [trip.pk]}, format="json")

    assert "muted_group_ids" in assert_error(response, 400, "invalid")["fields"]
    assert not NotificationPreference.objects.exists()


def test_plans_i_cannot_see_cannot_be_muted(alice, dave, bob, client_for):
    bobs_plan = insert_plan("Bob alone", creator=bob)

    response = client_for(dave).put(URL, {"muted_plan_ids": [bobs_plan.pk]}, format="json")

    assert "muted_plan_ids" in assert_error(response, 400)["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"muted_group_ids": [999_999]}, "muted_group_ids"),
        ({"muted_group_ids": [10**30]}, "muted_group_ids.0"),
        ({"muted_group_ids": ["abc"]}, "muted_group_ids.0"),
        ({"muted_group_ids": "1,2"}, "muted_group_ids"),
        ({"muted_group_ids": None}, "muted_group_ids"),
        ({"muted_group_ids": list(range(1, 1000))}, "muted_group_ids"),
        ({"muted_plan_ids": [0]}, "muted_plan_ids.0"),
        ({"muted_plan_ids": [999_999]}, "muted_plan_ids"),
        ({"disabled_kinds": ["nonsense"]}, "disabled_kinds.0"),
        ({"disabled_kinds": "chat.message"}, "disabled_kinds"),
        ({"quiet_hours_start": "22:00"}, "quiet_hours_end"),
        ({"quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "quiet_hours_end"),
        ({"quiet_hours_start": "25:00", "quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": 2200, "quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": "x" * 10_000, "quiet_hours_end": "07:00"}, "quiet_hours_start"),
    ],
)
def test_bad_preferences_are_rejected_and_nothing_is_saved(
    alice, trip, client_for, events, body, field
):
    response = client_for(alice).put(URL, body, format="json")

    error = assert_error(response, 400, "invalid")
    assert field in error["fields"], error
    assert not NotificationPreference.objects.exists()
    assert events(f"user:{alice.pk}") == []


def test_a_bad_field_keeps_the_good_ones_from_being_saved(alice, trip, client_for):
    client = client_for(alice)

    response = client.put(
        URL, {"muted_group_ids": [trip.pk], "disabled_kinds": ["nonsense"]}, format="json"
    )

    assert_error(response, 400)
    assert client.get(URL).json() == DEFAULTS


def test_body_must_be_an_object(alice, client_for):
    assert_error(client_for(alice).put(URL, [1, 2], format="json"), 400)


def test_anonymous_gets_401(anon, db):
    assert_error(anon.get(URL), 401)
    assert_error(anon.put(URL, {}, format="json"), 401)
