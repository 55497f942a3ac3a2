"""No input makes the plans API fail with a 500; every refused write changes nothing."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planpal.plans.models import Activity, Plan
from planpal.realtime.models import Event
from tests.conftest import assert_error
from tests.plans.factories import activity_url, iso, make_activity, plan_url, start_of_trip

PLAN_FIELDS = ["title", "description", "group", "start_at", "end_at", "timezone", "version"]
ACTIVITY_FIELDS = [
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "location_name",
    "location_address",
    "lat",
    "lng",
    "estimated_cost",
    "currency",
    "notes",
    "version",
]


def timestamps():
    """Mostly plausible instants around the trip, plus the extremes of the calendar."""
    base = start_of_trip()
    near = st.integers(min_value=-200, max_value=200).map(lambda h: iso(base + timedelta(hours=h)))
    odd = st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2026-02-30T10:00:00Z",
            "2026-12-19T08:00:00",
            "2026-12-19",
            "",
        ]
    )
    return st.one_of(near, odd)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["1e999", "-0", "NaN", "9" * 40, "Europe/Lisbon", "EUR", "food", "x" * 6000]),
    timestamps(),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner)
)


def bodies(fields):
    return st.dictionaries(st.sampled_from([*fields, "status", "id"]), values, max_size=len(fields))


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def state():
    return (
        list(Plan.objects.order_by("pk").values_list("pk", "version", "title", "status")),
        list(Activity.objects.order_by("pk").values_list("pk", "version", "title", "position")),
        Event.objects.count(),
    )


def check(response, before):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert_error(response, response.status_code)
        assert state() == before


@pytest.fixture
def activity(trip_plan, bob):
    return make_activity(bob, trip_plan, start_hour=10)


@FUZZ
@given(body=bodies(PLAN_FIELDS))
def test_any_plan_create_body(as_, trip, body):
    before = state()
    check(as_("bob").post("/api/v1/plans", body, format="json"), before)


@FUZZ
@given(body=bodies(PLAN_FIELDS))
def test_any_plan_edit_body(as_, trip_plan, body):
    before = state()
    check(as_("bob").patch(plan_url(trip_plan), body, format="json"), before)


@FUZZ
@given(body=bodies(ACTIVITY_FIELDS))
def test_any_activity_create_body(as_, trip_plan, body):
    before = state()
    check(as_("bob").post(plan_url(trip_plan, "/activities"), body, format="json"), before)


@FUZZ
@given(body=bodies(ACTIVITY_FIELDS))
def test_any_activity_edit_body(as_, activity, body):
    before = state()
    check(as_("bob").patch(activity_url(activity), body, format="json"), before)


@FUZZ
@given(body=st.one_of(values, st.dictionaries(st.sampled_from(["order", "user"]), values)))
def test_any_reorder_or_participant_body(as_, trip_plan, personal_plan, activity, body):
    before = state()
    check(as_("bob").post(plan_url(trip_plan, "/activities/reorder"), body, format="json"), before)
    check(as_("alice").post(plan_url(personal_plan, "/participants"), body, format="json"), before)


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["status", "group", "limit", "cursor"]), st.text()))
def test_any_list_query(as_, trip_plan, query):
    response = as_("bob").get("/api/v1/plans", query)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/plans/99999999999999999999999999"),
        ("get", "/api/v1/plans/9223372036854775808/activities"),
        ("post", "/api/v1/activities/9223372036854775807/complete"),
        ("patch", "/api/v1/activities/9223372036854775808"),
        ("delete", "/api/v1/plans/{personal}/participants/99999999999999999999999"),
    ],
)
def test_huge_ids_in_urls_are_not_found(as_, personal_plan, method, path):
    body = {"title": "x", "version": 1} if method == "patch" else None
    url = path.format(personal=personal_plan.pk)

    response = getattr(as_("alice"), method)(url, body, format="json")

    assert_error(response, 404)


def test_requests_larger_than_the_limit_are_refused(as_, trip_plan):
    body = {"title": "x", "notes": "x" * 300_000, "starts_at": "", "ends_at": ""}

    response = as_("bob").post(plan_url(trip_plan, "/activities"), body, format="json")

    assert_error(response, 400)
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("query", ["status=", "status=someday", "group=", "group=x"])
def test_a_bad_plan_list_filter_is_400_not_ignored(client_for, alice, query):
    """An empty `?status=` was read as "no filter" (HTML form rules) and listed every plan."""
    error = assert_error(client_for(alice).get(f"/api/v1/plans?{query}"), 400, "invalid")
    assert set(error["fields"]) == {query.partition("=")[0]}
