"""The SSE fallback end to end: a real server process, REST writes, an HTTP event stream."""

import time

import httpx
import pytest

from tests.live import LiveServer
from tests.realtime.conftest import require_redis, rest, token_for
from tests.realtime.sse import SseStream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def sse_server(django_db_setup, django_db_blocker):
    live = LiveServer(SSE_HEARTBEAT_SECONDS="1").start()
    yield live
    live.stop()


@pytest.fixture
async def stream_for(sse_server):
    """stream_for(user, topics=..., **params) → an open SseStream; all are closed afterwards."""
    streams: list[SseStream] = []

    async def open_stream(user, headers=None, on=None, **params) -> SseStream:
        headers = {"Authorization": f"Bearer {token_for(user)}", **(headers or {})}
        stream = await SseStream.open((on or sse_server).url, headers=headers, **params)
        streams.append(stream)
        assert stream.response.status_code == 200, await stream.response.aread()
        return stream

    yield open_stream
    for stream in streams:
        await stream.close()


async def toggle(server, user, activity_id: int, times: int) -> None:
    async with rest(server, user) as api:
        for index in range(times):
            action = "complete" if index % 2 == 0 else "reopen"
            response = await api.post(f"/activities/{activity_id}/{action}")
            assert response.status_code == 200, response.text


def seqs(messages) -> list[int]:
    return [message.data["seq"] for message in messages]


async def test_live_events_then_a_resume_gets_exactly_what_was_missed(sse_server, trip, stream_for):
    stream = await stream_for(trip.bob, topics=trip.plan_topic)
    first = await stream.next()
    assert first.retry == 2000
    subscribed = (await stream.frame("subscribed")).data
    assert subscribed == {
        "type": "subscribed",
        "topic": trip.plan_topic,
        "seq": subscribed["seq"],
        "recovered": True,
        "ref": None,
    }
    head = subscribed["seq"]

    await toggle(sse_server, trip.alice, trip.activities[0].pk, 1)
    [live] = await stream.events(1)
    assert live.id == f"{trip.plan_topic}:{head + 1}"
    assert live.data["event"] == "plan.activity_completed"
    assert live.data["actor"] == trip.alice.pk and live.data["data"]["title"] == "Coffee"
    await stream.close()

    await toggle(sse_server, trip.alice, trip.activities[1].pk, 3)  # missed while away

    again = await stream_for(trip.bob, headers={"Last-Event-ID": live.id}, topics=trip.plan_topic)
    subscribed = (await again.frame("subscribed")).data
    assert subscribed["recovered"] is True and subscribed["seq"] == head + 4
    missed = await again.events(3)
    assert seqs(missed) == [head + 2, head + 3, head + 4]
    assert [m.id for m in missed] == [f"{trip.plan_topic}:{s}" for s in seqs(missed)]

    await toggle(sse_server, trip.alice, trip.activities[2].pk, 1)  # and live again after it
    [after] = await again.events(1)
    assert after.data["seq"] == head + 5


async def test_several_topics_resume_with_since(sse_server, trip, stream_for):
    async with rest(sse_server, trip.alice) as api:
        assert (await api.patch(f"/groups/{trip.group.pk}", json={"name": "Dalat!"})).is_success
    await toggle(sse_server, trip.alice, trip.activities[0].pk, 2)

    since = f"{trip.plan_topic}:0,{trip.group_topic}:0"
    stream = await stream_for(trip.bob, topics=f"{trip.plan_topic},{trip.group_topic}", since=since)
    plan = (await stream.frame("subscribed")).data
    plan_events = await stream.events(plan["seq"])
    group = (await stream.frame("subscribed")).data
    group_events = await stream.events(group["seq"])
    assert (plan["topic"], group["topic"]) == (trip.plan_topic, trip.group_topic)
    assert seqs(plan_events) == list(range(1, plan["seq"] + 1))
    assert seqs(group_events) == list(range(1, group["seq"] + 1))
    assert group_events[-1].data["event"] == "group.updated"


async def test_a_removed_member_gets_the_event_then_the_stream_ends(sse_server, trip, stream_for):
    topics = f"{trip.group_topic},{trip.plan_topic}"
    stream = await stream_for(trip.bob, topics=topics)
    await stream.frame("subscribed")
    await stream.frame("subscribed")

    async with rest(sse_server, trip.alice) as api:
        response = await api.delete(f"/groups/{trip.group.pk}/members/{trip.bob.pk}")
    assert response.status_code == 204, response.text

    event = await stream.frame("event")
    assert event.data["event"] in {"group.member_removed", "plan.member_left"}
    revoked = (await stream.next()).data
    assert revoked == {
        "type": "unsubscribed",
        "topic": event.data["topic"],
        "reason": "revoked",
        "ref": None,
    }
    rest_of_it = []
    while (message := await stream.next()) is not None:
        rest_of_it.append(message)
    assert [m.comments for m in rest_of_it] == [["revoked"]]  # then the response ends

    async with httpx.AsyncClient(base_url=sse_server.url) as client:
        again = await client.get(
            "/api/v1/stream",
            params={"topics": topics},
            headers={"Authorization": f"Bearer {token_for(trip.bob)}"},
        )
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "forbidden"


async def test_heartbeats_are_comments(trip, stream_for):
    stream = await stream_for(trip.bob, topics=trip.plan_topic)
    await stream.frame("subscribed")
    started = time.monotonic()
    heartbeat = await stream.next(timeout=5)
    assert heartbeat.comments == ["heartbeat"] and heartbeat.data is None
    assert 0.5 < time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "bad_topic"),
        ({"topics": "plan:0"}, 400, "bad_topic"),
        ({"topics": "chat:1"}, 400, "bad_topic"),
        ({"topics": "plan:{plan}", "since": "plan:{plan}:x"}, 400, "bad_since"),
        ({"topics": "plan:{plan}", "since": "group:{group}:3"}, 400, "bad_since"),
        ({"topics": "plan:{plan}"}, 403, "forbidden"),  # carol is not a member
        ({"topics": "user:{bob}"}, 403, "forbidden"),
    ],
)
async def test_bad_or_forbidden_requests_are_refused(sse_server, trip, params, status, code):
    ids = {"plan": trip.plan.pk, "group": trip.group.pk, "bob": trip.bob.pk}
    params = {key: value.format(**ids) for key, value in params.items()}
    headers = {"Authorization": f"Bearer {token_for(trip.carol)}"}
    async with httpx.AsyncClient(base_url=sse_server.url) as client:
        response = await client.get("/api/v1/stream", params=params, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


async def test_it_needs_a_valid_token_or_session(sse_server, trip):
    async with httpx.AsyncClient(base_url=sse_server.url) as client:
        params = {"topics": trip.plan_topic}
        anonymous = await client.get("/api/v1/stream", params=params)
        forged = await client.get(
            "/api/v1/stream", params=params, headers={"Authorization": "Bearer not-a-token"}
        )
        posted = await client.post("/api/v1/stream", params=params)
    assert (anonymous.status_code, forged.status_code, posted.status_code) == (401, 401, 405)
    assert anonymous.json()["error"]["code"] == "not_authenticated"


async def test_refusals_are_in_the_language_of_the_request(sse_server, trip):
    """Accept-Language until the request is authenticated, then the profile's language
    (docs/i18n.md); the codes are the same in every language."""
    from planpal.accounts.models import User

    await User.objects.filter(pk=trip.carol.pk).aupdate(language="vi")
    params = {"topics": trip.plan_topic}  # carol is not a member
    carol = {"Authorization": f"Bearer {token_for(trip.carol)}", "Accept-Language": "en"}
    bob = {"Authorization": f"Bearer {token_for(trip.bob)}", "Accept-Language": "vi"}
    async with httpx.AsyncClient(base_url=sse_server.url) as client:
        anonymous = await client.get("/api/v1/stream", params=params)
        vi = {"Accept-Language": "vi"}
        anonymous_vi = await client.get("/api/v1/stream", params=params, headers=vi)
        forbidden = await client.get("/api/v1/stream", params=params, headers=carol)
        bad_since = await client.get("/api/v1/stream", params={**params, "since": "x"}, headers=bob)
    assert anonymous_vi.status_code == anonymous.status_code == 401
    english, vietnamese = anonymous.json()["error"], anonymous_vi.json()["error"]
    assert english["code"] == vietnamese["code"] == "not_authenticated"
    assert english["message"] == "Send Authorization: Bearer <access token>."
    assert vietnamese["message"] == "Hãy gửi Authorization: Bearer <access token>."
    assert forbidden.status_code == 403, forbidden.text
    assert forbidden.json()["error"] == {
        "code": "forbidden",
        "message": "Bạn không được phép theo dõi các chủ đề này.",
        "fields": {"topics": [f"Bạn không được phép theo dõi các chủ đề này. {trip.plan_topic}"]},
    }
    assert bad_since.status_code == 400
    error = bad_since.json()["error"]  # bob has no profile language: his Accept-Language
    assert (error["code"], error["message"]) == (
        "bad_since",
        "since phải gồm các mục topic:seq của những chủ đề được yêu cầu.",
    )


async def test_a_browser_session_works_from_our_origin_only(sse_server, trip, stream_for):
    async with httpx.AsyncClient(base_url=f"{sse_server.url}/api/v1") as api:
        login = await api.post(
            "/auth/login",
            json={"username": "bob", "password": "correct-horse-battery-staple"},
        )
        assert login.status_code == 200, login.text
        cookie = f"sessionid={api.cookies['sessionid']}"
        params = {"topics": trip.plan_topic}
        evil = await api.get(
            "/stream", params=params, headers={"Cookie": cookie, "Origin": "https://evil.example"}
        )
    assert evil.status_code == 403

    stream = await SseStream.open(sse_server.url, headers={"Cookie": cookie}, **params)
    try:
        assert stream.response.status_code == 200
        assert (await stream.frame("subscribed")).data["topic"] == trip.plan_topic
    finally:
        await stream.close()


async def test_events_written_through_another_process_arrive(sse_server, trip, stream_for):
    require_redis()
    other = LiveServer().start()
    try:
        stream = await stream_for(trip.bob, topics=trip.plan_topic)
        head = (await stream.frame("subscribed")).data["seq"]
        await toggle(other, trip.alice, trip.activities[0].pk, 2)
        assert seqs(await stream.events(2)) == [head + 1, head + 2]
    finally:
        other.stop()


async def test_an_access_token_of_a_revoked_version_is_refused(sse_server, trip):
    from django.db.models import F

    from planpal.accounts.models import User

    headers = {"Authorization": f"Bearer {token_for(trip.bob)}"}
    await User.objects.filter(pk=trip.bob.pk).aupdate(token_version=F("token_version") + 1)
    async with httpx.AsyncClient(base_url=sse_server.url) as client:
        response = await client.get(
            "/api/v1/stream", params={"topics": trip.plan_topic}, headers=headers
        )
    assert response.status_code == 401
