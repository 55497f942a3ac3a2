"""Invite links: create, list, revoke, accept (expiry, revocation, max uses under concurrency)."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from planpal.groups import services
from planpal.groups.models import Invite, Membership
from planpal.realtime.models import Event
from tests.conftest import assert_error, make_user

pytestmark = pytest.mark.django_db


def invites_url(group, key=None) -> str:
    base = f"/api/v1/groups/{group.pk}/invites"
    return base if key is None else f"{base}/{key}"


def accept_url(token: str) -> str:
    return f"/api/v1/invites/{token}/accept"


def is_member(user, group) -> bool:
    return Membership.objects.filter(user=user, group=group).exists()


# ---------------------------------------------------------------------------- create


def test_the_owner_creates_a_link_whose_token_is_stored_only_as_a_hash(
    client_for, trip, alice, settings
):
    response = client_for(alice).post(invites_url(trip), {}, format="json")
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert len(token) >= 43
    assert body["url"] == f"http://testserver/invites/{token}"
    assert (body["uses"], body["max_uses"]) == (0, None)

    invite = Invite.objects.get()
    assert invite.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invite.token_prefix == token[:6]
    assert token not in str(Invite.objects.values().get())
    expected = timezone.now() + timedelta(hours=settings.INVITE_DEFAULT_TTL_HOURS)
    assert abs(invite.expires_at - expected) < timedelta(minutes=1)


def test_a_link_opens_on_the_host_and_port_the_request_came_to_when_public_url_is_unset(
    client_for, trip, alice, settings
):
    """Issue 13 #9: links pointed at port 8000 whatever the server ran on."""
    settings.PUBLIC_URL = ""
    answer = client_for(alice).post(invites_url(trip), {}, format="json", HTTP_HOST="[::1]:9123")
    assert answer.json()["url"] == f"http://[::1]:9123/invites/{answer.json()['token']}"
    secure = client_for(alice).post(
        invites_url(trip), {}, format="json", HTTP_HOST="localhost:8443", secure=True
    )
    assert secure.json()["url"] == f"https://localhost:8443/invites/{secure.json()['token']}"


def test_a_link_uses_public_url_when_it_is_set(client_for, trip, alice, settings):
    settings.PUBLIC_URL = "https://trips.example.com"
    answer = client_for(alice).post(invites_url(trip), {}, format="json", HTTP_HOST="localhost")
    assert answer.json()["url"] == f"https://trips.example.com/invites/{answer.json()['token']}"


def test_a_request_for_a_host_not_allowed_gets_no_link(client_for, trip, alice, settings):
    settings.PUBLIC_URL = ""
    answer = client_for(alice).post(invites_url(trip), {}, format="json", HTTP_HOST="evil.example")
    assert answer.status_code == 400
    assert not Invite.objects.exists()


def test_every_link_gets_its_own_token(client_for, trip, alice):
    tokens = {
        client_for(alice).post(invites_url(trip), {}, format="json").json()["token"]
        for _ in range(5)
    }
    assert len(tokens) == 5


def test_an_admin_creates_a_link_with_limits(client_for, trip, bob):
    response = client_for(bob).post(
        invites_url(trip), {"expires_in_hours": 2, "max_uses": 3}, format="json"
    )
    assert response.status_code == 201
    invite = Invite.objects.get()
    assert invite.max_uses == 3
    assert abs(invite.expires_at - (timezone.now() + timedelta(hours=2))) < timedelta(minutes=1)


@pytest.mark.parametrize("who, status", [("carol", 403), ("dave", 404)])
def test_members_and_outsiders_cannot_create_links(client_for, trip, who, status, request):
    response = client_for(request.getfixturevalue(who)).post(invites_url(trip), {}, format="json")
    assert_error(response, status)
    assert not Invite.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"expires_in_hours": 0}, "expires_in_hours"),
        ({"expires_in_hours": 721}, "expires_in_hours"),
        ({"expires_in_hours": "soon"}, "expires_in_hours"),
        ({"expires_in_hours": 1.5}, "expires_in_hours"),
        ({"expires_in_hours": "9" * 10_000}, "expires_in_hours"),
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 1001}, "max_uses"),
        ({"max_uses": [1]}, "max_uses"),
    ],
)
def test_bad_link_settings_are_400_and_create_nothing(client_for, trip, alice, body, field):
    error = assert_error(
        client_for(alice).post(invites_url(trip), body, format="json"), 400, "invalid"
    )
    assert field in error["fields"]
    assert not Invite.objects.exists()


def test_links_need_authentication(anon, trip):
    assert_error(anon.post(invites_url(trip), {}, format="json"), 401)
    assert_error(anon.get(invites_url(trip)), 401)
    assert_error(anon.post(accept_url("x" * 43)), 401)


# ---------------------------------------------------------------------------- list


def test_managers_list_links_without_their_tokens(client_for, trip, alice, bob):
    _, token = services.invite_create(actor=alice, group_id=trip.pk, max_uses=5)
    response = client_for(bob).get(invites_url(trip))
    assert response.status_code == 200
    [listed] = response.json()["results"]
    assert "token" not in listed
    assert token not in response.content.decode()
    assert listed["token_prefix"] == token[:6]
    assert (listed["max_uses"], listed["uses"], listed["active"]) == (5, 0, True)


@pytest.mark.parametrize("who, status", [("carol", 403), ("dave", 404)])
def test_members_and_outsiders_cannot_list_links(client_for, trip, alice, who, status, request):
    services.invite_create(actor=alice, group_id=trip.pk)
    assert_error(client_for(request.getfixturevalue(who)).get(invites_url(trip)), status)


# ---------------------------------------------------------------------------- accept


def test_anyone_with_the_link_joins_as_a_member(client_for, since, trip, alice, dave):
    _, token = services.invite_create(actor=alice, group_id=trip.pk)
    on_group, on_dave = since(f"group:{trip.pk}"), since(f"user:{dave.pk}")
    response = client_for(dave).post(accept_url(token))
    assert response.status_code == 201
    assert (response.json()["id"], response.json()["my_role"]) == (trip.pk, "member")
    assert Membership.objects.get(group=trip, user=dave).role == "member"
    assert Invite.objects.get().uses == 1
    [(seq, name, payload)] = on_group()
    assert name == "group.member_added"
    assert payload["member"]["user"]["id"] == dave.pk
    assert response.json()["stream"]["seq"] == seq
    assert [name for _, name, _ in on_dave()] == ["group.member_added"]


def test_a_member_following_the_link_again_just_sees_the_group(
    client_for, since, trip, alice, carol
):
    _, token = services.invite_create(actor=alice, group_id=trip.pk, max_uses=1)
    news = since(f"group:{trip.pk}")
    response = client_for(carol).post(accept_url(token))
    assert (response.status_code, response.json()["id"]) == (200, trip.pk)
    assert Membership.objects.filter(group=trip, user=carol).count() == 1
    assert Invite.objects.get().uses == 0
    assert news() == []


def test_an_expired_link_is_gone(client_for, trip, alice, dave):
    invite, token = services.invite_create(actor=alice, group_id=trip.pk)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client_for(dave).post(accept_url(token)), 410, "invite_invalid")
    assert not is_member(dave, trip)


def test_a_revoked_link_is_gone(client_for, trip, alice, bob, dave):
    _, token = services.invite_create(actor=alice, group_id=trip.pk)
    assert client_for(bob).delete(invites_url(trip, token)).status_code == 204
    assert Invite.objects.get().revoked_at is not None
    assert_error(client_for(dave).post(accept_url(token)), 410, "invite_invalid")
    assert not is_member(dave, trip)


def test_a_used_up_link_is_gone(client_for, trip, alice, dave):
    _, token = services.invite_create(actor=alice, group_id=trip.pk, max_uses=1)
    erin = make_user("erin")
    assert client_for(erin).post(accept_url(token)).status_code == 201
    assert_error(client_for(dave).post(accept_url(token)), 410, "invite_invalid")
    assert not is_member(dave, trip)
    assert Invite.objects.get().uses == 1


@pytest.mark.parametrize("token", ["nope", "x" * 10_000, "%00", "..%2F..%2Fetc"])
def test_an_unknown_link_is_404_and_changes_nothing(client_for, since, trip, dave, token):
    news = since(f"group:{trip.pk}")
    assert_error(client_for(dave).post(accept_url(token)), 404)
    assert not is_member(dave, trip)
    assert news() == []


def test_stale_copies_of_an_invite_cannot_exceed_max_uses(trip, alice):
    """However the accepts interleave, the conditional UPDATE lets only max_uses through."""
    invite, token = services.invite_create(actor=alice, group_id=trip.pk, max_uses=2)
    joiners = [make_user(f"joiner{index}") for index in range(4)]
    outcomes = []
    for user in joiners:
        try:
            services.invite_accept(actor=user, token=token)
            outcomes.append("joined")
        except services.InviteInvalid:
            outcomes.append("refused")
    assert outcomes == ["joined", "joined", "refused", "refused"]
    invite.refresh_from_db()
    assert invite.uses == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_exceed_max_uses(trip, alice):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database cannot run concurrent transactions")
    invite, token = services.invite_create(actor=alice, group_id=trip.pk, max_uses=3)
    joiners = [make_user(f"racer{index}") for index in range(8)]
    start = threading.Barrier(len(joiners))
    outcomes: list[str] = []

    def accept(user) -> None:
        try:
            start.wait()
            services.invite_accept(actor=user, token=token)
            outcomes.append("joined")
        except services.InviteInvalid:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in joiners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined"] * 3 + ["refused"] * 5
    invite.refresh_from_db()
    assert invite.uses == 3
    assert Membership.objects.filter(group=trip, user__in=joiners).count() == 3
    added = Event.objects.filter(topic=f"group:{trip.pk}", name="group.member_added")
    seqs = sorted(Event.objects.filter(topic=f"group:{trip.pk}").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert added.count() == 3 + 3  # trip's own three members, then the three who got in


# ---------------------------------------------------------------------------- revoke


def test_a_link_can_be_revoked_by_its_id_when_the_token_is_lost(client_for, trip, alice):
    invite, _ = services.invite_create(actor=alice, group_id=trip.pk)
    assert client_for(alice).delete(invites_url(trip, invite.pk)).status_code == 204
    assert Invite.objects.get().revoked_at is not None
    assert client_for(alice).get(invites_url(trip)).json()["results"][0]["active"] is False


def test_revoking_twice_is_harmless(client_for, trip, alice):
    _, token = services.invite_create(actor=alice, group_id=trip.pk)
    client_for(alice).delete(invites_url(trip, token))
    first = Invite.objects.get().revoked_at
    assert client_for(alice).delete(invites_url(trip, token)).status_code == 204
    assert Invite.objects.get().revoked_at == first


@pytest.mark.parametrize("who, status", [("carol", 403), ("dave", 404)])
def test_members_and_outsiders_cannot_revoke(client_for, trip, alice, who, status, request):
    _, token = services.invite_create(actor=alice, group_id=trip.pk)
    assert_error(client_for(request.getfixturevalue(who)).delete(invites_url(trip, token)), status)
    assert Invite.objects.get().revoked_at is None


def test_a_link_of_another_group_cannot_be_revoked_through_this_one(client_for, trip, alice, dave):
    other = services.group_create(actor=dave, name="Other")
    invite, token = services.invite_create(actor=dave, group_id=other.pk)
    assert_error(client_for(alice).delete(invites_url(trip, token)), 404)
    assert_error(client_for(alice).delete(invites_url(trip, invite.pk)), 404)
    assert Invite.objects.get().revoked_at is None


@pytest.mark.parametrize("key", ["unknown", "99999", "9" * 40, "x" * 10_000])
def test_revoking_an_unknown_link_is_404(client_for, trip, alice, key):
    assert_error(client_for(alice).delete(invites_url(trip, key)), 404)
