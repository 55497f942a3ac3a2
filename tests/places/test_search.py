"""Place search (issue 18): a proxy in front of a Nominatim-compatible geocoder — here a fake one
on a real socket (tests/fakegeocoder) — cached, rate limited, off by default."""

import pytest
from django.core.cache import cache

from tests.fakegeocoder.server import LICENCE

pytest_plugins = ["tests.fakegeocoder.plugin"]

URL = "/api/v1/places/search"


@pytest.fixture(autouse=True)
def empty_cache_and_room_to_ask(settings):
    """A fresh cache; the geocoder's budget (one request a second by default) out of the way
    except where a test sets it."""
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "geocoder": "100/1"}


@pytest.fixture
def bob_client(client_for, bob):
    return client_for(bob)


def test_it_is_off_without_a_geocoder(bob_client, settings):
    settings.GEOCODER_URL = ""
    answer = bob_client.get(URL, {"q": "Belém"})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "geocoder_disabled"


def test_it_finds_places_in_the_activity_field_names(bob_client, fake_geocoder):
    answer = bob_client.get(URL, {"q": "torre de belém"})

    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "results": [
            {
                "location_name": "Torre de Belém",
                "location_address": "Torre de Belém, Avenida Brasília, Belém, Lisboa, Portugal",
                "lat": "38.691584",
                "lng": "-9.215985",
                "category": "tourism",
                "type": "attraction",
            }
        ],
        "attribution": LICENCE,
    }
    (asked,) = fake_geocoder.asked
    assert asked["path"] == "/search"
    assert asked["params"] == {
        "q": "torre de belém",
        "format": "jsonv2",
        "limit": "5",
        "addressdetails": "0",
    }
    assert asked["headers"]["User-Agent"] == "PlanPal place search"


def test_a_result_fills_an_activity(bob_client, fake_geocoder, client_for, alice):
    from tests.factories import make_group
    from tests.plans.factories import at, make_plan

    group = make_group("Lisbon", owner=alice, members=[])
    plan = make_plan(alice, group=group)
    (place,) = bob_client.get(URL, {"q": "Time Out Market"}).json()["results"]
    fields = {key: place[key] for key in ("location_name", "location_address", "lat", "lng")}

    answer = client_for(alice).post(
        f"/api/v1/plans/{plan.pk}/activities",
        {"title": "Lunch", "starts_at": at(plan, 4).isoformat(), "ends_at": at(plan, 5).isoformat()}
        | fields,
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert {key: answer.json()[key] for key in fields} == fields


def test_near_favours_places_around_a_point(bob_client, fake_geocoder):
    in_brazil = bob_client.get(URL, {"q": "Belém", "near": "-1.45,-48.49", "limit": 1}).json()
    in_lisbon = bob_client.get(URL, {"q": "Belém", "near": "38.70,-9.20", "limit": 1}).json()

    assert in_brazil["results"][0]["location_address"] == "Belém, Pará, Brasil"
    assert in_lisbon["results"][0]["location_address"].endswith("Lisboa, Portugal")
    assert fake_geocoder.asked[0]["params"]["viewbox"] == "-48.74,-1.2,-48.24,-1.7"
    assert fake_geocoder.asked[0]["params"]["bounded"] == "0"


def test_answers_are_cached(bob_client, client_for, alice, fake_geocoder):
    first = bob_client.get(URL, {"q": "Time Out Market"}).json()
    again = client_for(alice).get(URL, {"q": "  time out   MARKET "}).json()
    elsewhere = bob_client.get(URL, {"q": "Time Out Market", "near": "38.7,-9.1"}).json()

    assert first == again == elsewhere
    assert len(fake_geocoder.asked) == 2, "one request per query and bias, whoever asks"


@pytest.mark.parametrize(
    "reply",
    ["error", "garbage", "object", {"hang": 1.5}],
    ids=["server-error", "not-json", "not-a-list", "timeout"],
)
def test_a_failing_geocoder_is_a_502_and_is_not_cached(bob_client, fake_geocoder, settings, reply):
    settings.GEOCODER_TIMEOUT_SECONDS = 0.5
    fake_geocoder.script(reply)

    answer = bob_client.get(URL, {"q": "Time Out Market"})

    assert answer.status_code == 502
    assert answer.json()["error"]["code"] == "geocoder_unavailable"
    assert bob_client.get(URL, {"q": "Time Out Market"}).json()["results"], "asked again"


def test_an_unreachable_geocoder_is_a_502(bob_client, settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    answer = bob_client.get(URL, {"q": "Belém"})
    assert answer.status_code == 502
    assert answer.json()["error"]["code"] == "geocoder_unavailable"


def test_results_without_a_usable_position_are_dropped(bob_client, fake_geocoder):
    fake_geocoder.script(
        [
            {"lat": "91", "lon": "0", "name": "Too far north"},
            {"lat": "NaN", "lon": "1", "name": "Not a number"},
            {"lon": "1", "name": "No latitude"},
            "not an object",
            {"lat": "1.5", "lon": "-181", "name": "Too far west"},
            {"lat": "1.25", "lon": "2.5", "display_name": "Somewhere, Else", "name": ""},
        ]
    )
    answer = bob_client.get(URL, {"q": "anything"}).json()
    assert [(p["location_name"], p["lat"], p["lng"]) for p in answer["results"]] == [
        ("Somewhere", "1.250000", "2.500000")
    ]
    assert answer["attribution"] == ""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": " x "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "Belém", "near": "38.7"}, "near"),
        ({"q": "Belém", "near": "91,0"}, "near"),
        ({"q": "Belém", "near": "0,181"}, "near"),
        ({"q": "Belém", "near": "north,east"}, "near"),
        ({"q": "Belém", "near": "NaN,0"}, "near"),
        ({"q": "Belém", "near": "1" * 61}, "near"),
        ({"q": "Belém", "near": ""}, "near"),  # the fuzz found it answered as if absent
        ({"q": "Belém", "limit": ""}, "limit"),
        ({"q": "Belém", "limit": 0}, "limit"),
        ({"q": "Belém", "limit": 11}, "limit"),
    ],
)
def test_bad_input_is_a_400_and_asks_nobody(bob_client, fake_geocoder, params, field):
    answer = bob_client.get(URL, params)
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert fake_geocoder.asked == []


def test_each_user_is_rate_limited(bob_client, client_for, alice, fake_geocoder, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "places_user": "2/60"}
    assert bob_client.get(URL, {"q": "Belém"}).status_code == 200
    assert bob_client.get(URL, {"q": "Belém"}).status_code == 200
    answer = bob_client.get(URL, {"q": "Belém"})
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert client_for(alice).get(URL, {"q": "Belém"}).status_code == 200


def test_the_geocoder_is_asked_at_most_its_budget(bob_client, fake_geocoder, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "geocoder": "2/60"}
    for query in ("Belém", "Torre"):
        assert bob_client.get(URL, {"q": query}).status_code == 200
    answer = bob_client.get(URL, {"q": "Time Out"})
    assert answer.status_code == 429
    assert bob_client.get(URL, {"q": "Belém"}).status_code == 200, "cached answers still come"
    assert len(fake_geocoder.asked) == 2


def test_it_needs_a_signed_in_user(anon, fake_geocoder):
    assert anon.get(URL, {"q": "Belém"}).status_code in (401, 403)
    assert fake_geocoder.asked == []
