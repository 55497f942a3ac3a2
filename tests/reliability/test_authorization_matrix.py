"""Who may do what: every group-scoped REST endpoint and every topic, for each persona —
owner, admin, member, former member, stranger, anonymous. Allowed exactly where intended;
a stranger (or former member) learns nothing, not even that the object exists (404)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from planpal.chat.services import message_send
from planpal.groups import services as group_services
from planpal.groups.models import Invite, Membership
from planpal.plans import services as plan_services
from planpal.realtime.authorisers import authorise
from tests.conftest import make_user
from tests.factories import befriend, make_group

PERSONAS = ("owner", "admin", "member", "former", "stranger", "anonymous")


@pytest.fixture
def world(db):
    owner, admin, member = make_user("olga"), make_user("adam"), make_user("mia")
    former, stranger, target, newcomer = (
        make_user("fred"),
        make_user("sam"),
        make_user("tess"),
        (make_user("nina")),
    )
    group = make_group("Trip", owner=owner, admins=[admin], members=[member, former, target])
    group_services.member_remove(actor=owner, group_id=group.pk, user_id=former.pk)
    for friend in (owner, admin, member):
        befriend(friend, newcomer)
    start = timezone.now() + timedelta(days=5)
    plan = plan_services.plan_create(
        actor=owner,
        title="Plan",
        group_id=group.pk,
        start_at=start,
        end_at=start + timedelta(days=2),
    )
    activity, _ = plan_services.activity_create(
        actor=owner,
        plan_id=plan.pk,
        title="Walk",
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
    )
    message, _ = message_send(actor=member, conversation=group.conversation, text="hi")
    invite, _token = group_services.invite_create(actor=owner, group_id=group.pk)
    users = {
        "owner": owner,
        "admin": admin,
        "member": member,
        "former": former,
        "stranger": stranger,
    }
    return {
        "users": users,
        "group": group,
        "plan": plan,
        "activity": activity,
        "message": message,
        "invite": invite,
        "target": target,
        "newcomer": newcomer,
        "start": start,
    }


def client(world, persona: str) -> APIClient:
    api = APIClient()
    if persona != "anonymous":
        api.force_authenticate(world["users"][persona])
    return api


def request(world, persona, method, path, body=None):
    w = world
    path = path.format(
        g=w["group"].pk,
        p=w["plan"].pk,
        a=w["activity"].pk,
        c=w["group"].conversation.pk,
        m=w["message"].pk,
        i=w["invite"].pk,
        t=w["target"].pk,
        n=w["newcomer"].pk,
    )
    if callable(body):
        body = body(w)
    return getattr(client(world, persona), method)(f"/api/v1{path}", body, format="json")


def activity_body(w):
    begins = w["start"] + timedelta(hours=5)
    return {
        "title": "Dinner",
        "starts_at": begins.isoformat(),
        "ends_at": (begins + timedelta(hours=1)).isoformat(),
    }


READ = (200, 200, 200, 404, 404, 401)
MANAGE = (200, 200, 403, 404, 404, 401)
# (method, path, body, expected status for each persona in PERSONAS order)
MATRIX = [
    ("get", "/groups/{g}", None, READ),
    ("patch", "/groups/{g}", {"description": "new"}, MANAGE),
    ("delete", "/groups/{g}", None, (204, 403, 403, 404, 404, 401)),
    ("get", "/groups/{g}/members", None, READ),
    ("post", "/groups/{g}/members", {"user": "{n}"}, (201, 201, 403, 404, 404, 401)),
    ("patch", "/groups/{g}/members/{t}", {"role": "admin"}, (200, 403, 403, 404, 404, 401)),
    ("delete", "/groups/{g}/members/{t}", None, (204, 204, 403, 404, 404, 401)),
    ("get", "/groups/{g}/invites", None, (200, 200, 403, 404, 404, 401)),
    ("post", "/groups/{g}/invites", {}, (201, 201, 403, 404, 404, 401)),
    ("delete", "/groups/{g}/invites/{i}", None, (204, 204, 403, 404, 404, 401)),
    ("get", "/plans/{p}", None, READ),
    ("patch", "/plans/{p}", {"title": "New", "version": 1}, MANAGE),
    ("delete", "/plans/{p}", None, (204, 204, 403, 404, 404, 401)),
    ("post", "/plans/{p}/start", None, MANAGE),
    ("post", "/plans/{p}/cancel", None, MANAGE),
    ("get", "/plans/{p}/activities", None, READ),
    ("post", "/plans/{p}/activities", activity_body, (201, 201, 201, 404, 404, 401)),
    ("post", "/plans/{p}/activities/reorder", {"order": ["{a}"]}, READ),
    ("get", "/activities/{a}", None, READ),
    ("patch", "/activities/{a}", {"notes": "bring water", "version": 1}, READ),
    ("post", "/activities/{a}/complete", None, READ),
    ("delete", "/activities/{a}", None, (204, 204, 204, 404, 404, 401)),
    ("get", "/conversations/{c}", None, READ),
    ("get", "/conversations/{c}/messages", None, READ),
    ("post", "/conversations/{c}/messages", {"text": "hello"}, (201, 201, 201, 404, 404, 401)),
    ("post", "/conversations/{c}/read", {}, READ),
    ("patch", "/messages/{m}", {"text": "edited"}, (403, 403, 200, 404, 404, 401)),
    ("delete", "/messages/{m}", None, (200, 200, 200, 404, 404, 401)),
]


def _fill(body, world):
    """Replace "{n}"-style placeholders inside a JSON body with the world's ids."""
    if isinstance(body, dict):
        return {key: _fill(value, world) for key, value in body.items()}
    if isinstance(body, list):
        return [_fill(value, world) for value in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return {"{n}": world["newcomer"].pk, "{a}": world["activity"].pk}[body]
    return body


@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_rest_endpoint_allows_exactly_the_intended_people(
    world, method, path, body, expected, persona_index
):
    persona = PERSONAS[persona_index]
    payload = body if callable(body) else _fill(body, world)
    response = request(world, persona, method, path, payload)
    assert response.status_code == expected[persona_index], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


def test_a_refused_write_changes_nothing(world):
    before = (
        Membership.objects.count(),
        Invite.objects.filter(revoked_at__isnull=True).count(),
        world["plan"].version,
    )
    for persona in ("member", "former", "stranger", "anonymous"):
        request(world, persona, "delete", "/groups/{g}/members/{t}")
        request(world, persona, "delete", "/groups/{g}/invites/{i}")
        request(world, persona, "patch", "/plans/{p}", {"title": "Hacked", "version": 1})
    world["plan"].refresh_from_db()
    after = (
        Membership.objects.count(),
        Invite.objects.filter(revoked_at__isnull=True).count(),
        world["plan"].version,
    )
    assert after == before
    assert world["plan"].title == "Plan"


@pytest.mark.parametrize("persona", PERSONAS[:-1])
def test_topics_follow_membership(world, persona):
    user = world["users"][persona]
    inside = persona in ("owner", "admin", "member")
    assert authorise(user.pk, f"group:{world['group'].pk}") is inside
    assert authorise(user.pk, f"plan:{world['plan'].pk}") is inside
    assert authorise(user.pk, f"user:{user.pk}") is True
    assert authorise(user.pk, f"user:{world['target'].pk}") is False
    assert authorise(user.pk, "plan:999999") is False
    assert authorise(user.pk, "moon:1") is False
