"""Values that are the wrong kind of thing (issue 13 #23): numbers sent as names, a number too
big for a float, time zones that are no place, times without an offset. Each is refused with a
400 that changes nothing, or read by the documented rule (docs/realtime.md §11)."""

import importlib
import inspect
import json
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

import planpal
from planpal.core.serializers import StrictCharField
from planpal.groups.models import Group
from planpal.plans.models import Activity, Plan
from tests.conftest import assert_error
from tests.factories import make_group


def raw(client, method: str, url: str, text: str):
    return getattr(client, method)(url, data=text, content_type="application/json")


@pytest.fixture
def trip(alice, bob):
    return make_group("Trip", owner=alice, members=[bob])


# ---------------------------------------------------------------------------- numbers as text
def test_a_name_of_1e999_is_refused_instead_of_creating_a_group_called_inf(client_for, alice):
    response = raw(client_for(alice), "post", "/api/v1/groups", '{"name": 1e999}')

    assert set(assert_error(response, 400, "invalid")["fields"]) == {"name"}
    assert not Group.objects.exists()


@pytest.mark.parametrize("value", ["123", "1e999", "-0.5", "true", '["x"]'])
def test_numbers_and_other_non_strings_never_become_names(client_for, alice, trip, value):
    client = client_for(alice)
    start = (timezone.now() + timedelta(days=3)).isoformat()
    end = (timezone.now() + timedelta(days=4)).isoformat()
    cases = [
        ("post", "/api/v1/groups", f'{{"name": {value}}}', "name"),
        ("patch", f"/api/v1/groups/{trip.pk}", f'{{"description": {value}}}', "description"),
        (
            "post",
            "/api/v1/plans",
            f'{{"title": {value}, "start_at": "{start}", "end_at": "{end}"}}',
            "title",
        ),
        ("patch", "/api/v1/me", f'{{"display_name": {value}}}', "display_name"),
    ]
    for method, url, body, field in cases:
        error = assert_error(raw(client, method, url, body), 400, "invalid")
        assert field in error["fields"], (url, error)
    assert Group.objects.count() == 1 and not Plan.objects.exists()
    trip.refresh_from_db()
    alice.refresh_from_db()
    assert (trip.description, alice.display_name) == ("", "Alice")


def _input_char_fields():
    """(serializer, field) for every writable text field of every serializer in planpal."""
    for module_info in pkgutil.walk_packages(planpal.__path__, "planpal."):
        if not module_info.name.endswith((".serializers", ".api", ".feed")):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.Serializer) or cls.__module__ != module.__name__:
                continue
            for name, field in cls().fields.items():
                plain_text = type(field) is serializers.CharField
                if plain_text and not field.read_only:
                    yield f"{cls.__module__}.{cls.__name__}.{name}"


def test_every_text_input_refuses_numbers():
    """The structural half: a new input serializer with a plain CharField (which turns 5 into
    "5") fails here; StrictCharField is the one to use."""
    assert list(_input_char_fields()) == []
    assert StrictCharField(max_length=5).run_validation("x") == "x"


# ---------------------------------------------------------------------------- time zones
@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "Etc/../UTC", "utc"])
def test_time_zones_that_are_no_place_are_refused(client_for, alice, trip, name):
    client = client_for(alice)
    start = timezone.now() + timedelta(days=3)
    body = {
        "title": "x",
        "group": trip.pk,
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(days=1)).isoformat(),
        "timezone": name,
    }

    assert (
        "timezone"
        in assert_error(client.patch("/api/v1/me", {"timezone": name}, format="json"), 400)[
            "fields"
        ]
    )
    assert (
        "timezone" in assert_error(client.post("/api/v1/plans", body, format="json"), 400)["fields"]
    )
    alice.refresh_from_db()
    assert alice.timezone == "UTC" and not Plan.objects.exists()


def test_real_zones_and_their_old_names_are_accepted(client_for, alice):
    for name in ("Asia/Ho_Chi_Minh", "Asia/Saigon", "UTC", "Etc/GMT+5", "America/Argentina/Salta"):
        assert (
            client_for(alice).patch("/api/v1/me", {"timezone": name}, format="json").status_code
            == 200
        )


# ---------------------------------------------------------------------------- times
def _plan(client, trip, zone: str, start: str, end: str) -> dict:
    body = {"title": "x", "group": trip.pk, "start_at": start, "end_at": end, "timezone": zone}
    response = client.post("/api/v1/plans", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_time_without_offset_is_read_in_the_plans_zone_not_utc(client_for, alice, trip):
    """00:35 in Ho Chi Minh City is 17:35 UTC the day before (it was read as 00:35 UTC)."""
    day = (timezone.now() + timedelta(days=30)).date()
    client = client_for(alice)

    plan = _plan(client, trip, "Asia/Ho_Chi_Minh", f"{day}T00:35:00", f"{day}T23:00:00")
    activity = client.post(
        f"/api/v1/plans/{plan['id']}/activities",
        {"title": "Pho", "starts_at": f"{day}T07:00", "ends_at": f"{day}T08:00:00+07:00"},
        format="json",
    )

    stored = Plan.objects.get(pk=plan["id"])
    midnight_utc = datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert stored.start_at == midnight_utc - timedelta(hours=6, minutes=25)
    assert stored.end_at == midnight_utc + timedelta(hours=16)
    assert activity.status_code == 201, activity.content
    pho = Activity.objects.get()
    assert (pho.starts_at, pho.ends_at) == (midnight_utc, midnight_utc + timedelta(hours=1))


def test_editing_reads_times_without_offset_in_the_new_zone(client_for, alice, trip):
    day = (timezone.now() + timedelta(days=30)).date()
    client = client_for(alice)
    plan = _plan(client, trip, "UTC", f"{day}T10:00:00Z", f"{day}T20:00:00Z")

    response = client.patch(
        f"/api/v1/plans/{plan['id']}",
        {"timezone": "Asia/Tokyo", "start_at": f"{day}T12:00", "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Plan.objects.get().start_at == datetime(day.year, day.month, day.day, 3, tzinfo=UTC)


def _paris_transitions(year: int) -> tuple[datetime, datetime]:
    """The last Sundays of March and October: clocks jump 02:00 → 03:00, then 03:00 → 02:00."""

    def last_sunday(month: int) -> datetime:
        day = datetime(year, month, 31)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    return last_sunday(3), last_sunday(10)


def test_daylight_saving_gaps_move_forward_and_repeated_times_take_the_first(
    client_for, alice, trip
):
    year = timezone.now().year + 1
    spring, autumn = _paris_transitions(year)
    client = client_for(alice)

    skipped = _plan(
        client, trip, "Europe/Paris", f"{spring:%Y-%m-%d}T02:30", f"{spring:%Y-%m-%d}T09:00"
    )
    repeated = _plan(
        client, trip, "Europe/Paris", f"{autumn:%Y-%m-%d}T02:30", f"{autumn:%Y-%m-%d}T09:00"
    )

    # 02:30 does not exist that night: it is 03:30 CEST (01:30 UTC).
    assert Plan.objects.get(pk=skipped["id"]).start_at == spring.replace(
        hour=1, minute=30, tzinfo=UTC
    )
    # 02:30 happens twice: the first, still CEST (00:30 UTC).
    assert Plan.objects.get(pk=repeated["id"]).start_at == autumn.replace(
        hour=0, minute=30, tzinfo=UTC
    )


def test_a_time_that_overflows_in_the_plans_zone_is_a_400(client_for, alice, trip):
    body = {
        "title": "x",
        "group": trip.pk,
        "start_at": "9999-12-31T23:00:00",
        "end_at": "9999-12-31T23:30:00",
        "timezone": "America/New_York",
    }

    assert_error(client_for(alice).post("/api/v1/plans", body, format="json"), 400)
    assert not Plan.objects.exists()


def test_json_numbers_too_big_for_a_float_are_refused_everywhere_a_number_is_read(
    client_for, alice, trip
):
    day = (timezone.now() + timedelta(days=30)).date()
    client = client_for(alice)
    plan = _plan(client, trip, "UTC", f"{day}T10:00:00Z", f"{day}T20:00:00Z")
    activity = {"title": "x", "starts_at": f"{day}T11:00Z", "ends_at": f"{day}T12:00Z"}
    for field in ("lat", "estimated_cost"):
        body = json.dumps(activity)[:-1] + f', "{field}": 1e999, "lng": 1}}'
        response = raw(client, "post", f"/api/v1/plans/{plan['id']}/activities", body)
        assert field in assert_error(response, 400)["fields"]
    assert not Activity.objects.exists()
