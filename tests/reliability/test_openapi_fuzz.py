"""Bad input against the REST API: schemathesis generates requests for every operation of the
OpenAPI schema the server serves at /api/schema/ — valid ones, ones aimed at real objects, and
schema-violating ones — and sends them to a real server process as a user who owns a group with a
plan, activities, a conversation, invites, a webhook and more. No answer may be a 5xx, and every
answer must be documented: its status, its content type and its body's schema."""

from datetime import timedelta
from http.cookiejar import DefaultCookiePolicy

import pytest
import requests
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from planpal.accounts.services import friend_accept, friend_request
from planpal.calendars.services import calendar_feed_get
from planpal.chat.services import message_send
from planpal.checklists.services import checklist_create, item_add
from planpal.files.services import upload_create
from planpal.groups.services import group_create, invite_create, member_add
from planpal.money.services import expense_create, settlement_record
from planpal.notifications.services import device_register, notification_create
from planpal.polls.services import poll_vote
from planpal.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import make_user
from tests.factories import make_trip_plan
from tests.fakegeocoder.server import FakeGeocoder
from tests.files.images import image_bytes
from tests.live import LiveServer
from tests.polls.factories import ask, ask_dates
from tests.realtime.conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
METHODS = {"get", "post", "put", "patch", "delete"}
READINESS = "/api/v1/health/ready"


def schema_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, from the same generator the server serves."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [
        (method.upper(), path)
        for path, item in paths.items()
        for method in item
        if method in METHODS
    ]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A server whose place search asks a fake geocoder (without one, every search is the
    documented 503 geocoder_disabled, and no search would be fuzzed)."""
    with FakeGeocoder() as geocoder:
        live = LiveServer(GEOCODER_URL=geocoder.url, RATE_LIMIT_GEOCODER="1000/1").start()
        yield live
        live.stop()


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.openapi.from_url(f"{server.url}/api/schema/?format=json", timeout=30)


@pytest.fixture
def world(transactional_db):
    """alice owns a group (bob a member, carol not) with a conversation and messages, an upcoming
    plan with activities, checklists (shared and personal) with items, polls (a group choice
    poll bob voted in, a plan date poll), an expense and a payment, an invite link, a webhook
    with a delivery; alice has a device, a notification, a calendar feed, bob as a friend and a
    pending request from dave; carol owns a group whose invite link alice may accept and a poll
    alice cannot see.
    Returns {path parameter name: [real values]}, and per path the values of a name that
    several paths use for different things."""
    alice, bob, carol, dave = (make_user(name) for name in ("alice", "bob", "carol", "dave"))
    friend_request(actor=alice, user_id=bob.pk)
    friend_accept(actor=bob, user_id=alice.pk)
    friend_request(actor=dave, user_id=alice.pk)
    group = group_create(actor=alice, name="Dalat trip")
    member_add(actor=alice, group_id=group.pk, user_id=bob.pk)
    start = timezone.now() + timedelta(days=3)
    plan = make_trip_plan(group, creator=alice, start=start)
    activities = plan.activities_made
    conversation = group.conversation
    mine, _ = message_send(actor=alice, conversation=conversation, text="Who brings the tent?")
    theirs, _ = message_send(actor=bob, conversation=conversation, text="Me!")
    _, own_invite = invite_create(actor=alice, group_id=group.pk)
    other_group = group_create(actor=carol, name="Carol's crew")
    _, their_invite = invite_create(actor=carol, group_id=other_group.pk)
    device, _ = device_register(actor=alice, platform="android", token="fuzz-device-token-0001")
    notification = notification_create(user=alice, kind="friend.requested", title="Dave")
    webhook = WebhookEndpoint.objects.create(
        group=group,
        created_by=alice,
        url="https://hooks.example.com/planpal",
        events=["plan.created"],
        secret="whsec_fuzz",
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=webhook, event_name="plan.created", topic=f"group:{group.pk}", body="{}"
    )
    photo = SimpleUploadedFile("photo.png", image_bytes("PNG"), content_type="image/png")
    upload = upload_create(actor=alice, file=photo, name=photo.name)
    shared, _ = checklist_create(actor=alice, plan_id=plan.pk, template="packing")
    personal, _ = checklist_create(actor=alice, plan_id=plan.pk, title="Mine", personal=True)
    bobs, _ = checklist_create(actor=bob, plan_id=plan.pk, title="Bob's", personal=True)
    assigned, _ = item_add(actor=alice, checklist_id=shared.pk, text="Tent", assignee_id=bob.pk)
    group_poll = ask(alice, group=group)
    poll_vote(actor=bob, poll_id=group_poll.pk, options=[group_poll.options.first().pk])
    date_poll = ask_dates(bob, plan)
    hidden_poll = ask(carol, group=other_group)
    _, feed_token = calendar_feed_get(actor=alice)
    split = {"strategy": "equal", "participants": [{"user_id": alice.pk}, {"user_id": bob.pk}]}
    expense, _ = expense_create(
        actor=alice, plan_id=plan.pk, title="Dinner", amount="300000", split=split
    )
    paid, _ = settlement_record(
        actor=bob, plan_id=plan.pk, from_user=bob.pk, to_user=alice.pk, amount="150000"
    )
    settlement_id = paid.pk
    return {
        "token": token_for(alice),
        "ids": {
            "activity_id": [activity.pk for activity in activities],
            "checklist_id": [shared.pk, personal.pk, bobs.pk],
            "conversation_id": [conversation.pk],
            "delivery_id": [delivery.pk],
            "device_id": [device.pk],
            "expense_id": [expense.pk],
            "group_id": [group.pk, other_group.pk],
            "item_id": [assigned.pk, *shared.items.values_list("pk", flat=True)[:2]],
            "key": [own_invite],
            "message_id": [mine.pk, theirs.pk],
            "notification_id": [notification.pk],
            "plan_id": [plan.pk],
            "poll_id": [group_poll.pk, date_poll.pk, hidden_poll.pk],
            "settlement_id": [settlement_id],
            "upload_id": [upload.pk],
            "token": [their_invite, own_invite],
            "user_id": [bob.pk, carol.pk, dave.pk],
            "webhook_id": [webhook.pk],
        },
        "ids_by_path": {"/api/v1/calendar/{token}.ics": {"token": [feed_token]}},
    }


def real_path_parameters(operation, world: dict) -> st.SearchStrategy[dict]:
    ids = {**world["ids"], **world["ids_by_path"].get(operation.path, {})}
    names = [p.name for p in operation.path_parameters]
    return st.fixed_dictionaries({name: st.sampled_from(ids[name]) for name in names})


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), schema_operations())
def test_operation_answers_as_documented(server, api_schema, world, method, path):
    operation = api_schema[path][method]
    cases = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if operation.path_parameters:
        cases.append(
            real_path_parameters(operation, world).flatmap(
                lambda real: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real)
            )
        )
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {world['token']}"
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # the bearer token only

    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(cases))
    def fuzz(case):
        response = case.call(base_url=server.url, session=session, timeout=15)
        if path == READINESS and response.status_code == 503:
            # The probe's documented "not ready" (no Celery worker runs beside the Redis mode's
            # server): it must say which check failed. Any other 5xx fails not_a_server_error.
            failing = {n for n, c in response.json()["checks"].items() if c["status"] == "fail"}
            assert failing, response.text
            checks = [check for check in CHECKS if check is not not_a_server_error]
        else:
            checks = CHECKS
        case.validate_response(response, checks=checks, transport_kwargs={"base_url": server.url})

    fuzz()
