"""The database unreachable for a while, with real processes: a server whose only way to MariaDB
(or PostgreSQL) is a loopback proxy that the test cuts and restores. While it is cut, REST answers
503 `database_unavailable` with Retry-After (never a 500 or a hang), readiness is 503 on its
`database` check while liveness stays 200, and connected WebSocket clients stay connected. After
the restore everything recovers by itself, and every write is either wholly in the database (the
row and its outbox events, seqs without gaps) or not at all — also writes cut mid-transaction."""

import asyncio
import os
import time
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.db import connection

from planpal.chat.models import Conversation, Message
from planpal.client import RealtimeClient
from planpal.plans.models import Activity, Plan
from planpal.realtime.models import Event, TopicSequence
from tests import live
from tests.live import LiveServer, LoopbackProxy
from tests.realtime.conftest import rest, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# An answer must come within this, outage or not (DB connect timeout is 5 s; a loaded machine).
ANSWER_WITHIN_SECONDS = 30
RECOVERY_WITHIN_SECONDS = 60


def require_server_database() -> None:
    """Skipped with a reason in embedded (SQLite) runs, never in CI's service run."""
    missing = [
        what
        for what, ok in [
            ("MariaDB or PostgreSQL (DATABASE_URL)", connection.vendor != "sqlite"),
            ("Redis (REDIS_URL)", bool(os.environ.get("REDIS_URL"))),
        ]
        if not ok
    ]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)}: a TCP proxy is cut between the server and them"
    if os.environ.get("PLANPAL_REQUIRE_SERVICES"):
        pytest.fail(f"PLANPAL_REQUIRE_SERVICES is set but this test {reason}")
    print(f"\nskipped: {reason}")
    pytest.skip(reason)


def through(proxy: LoopbackProxy) -> str:
    """The test database's URL with the proxy's port in place of the database's."""
    parts = urlsplit(live.test_database_url())
    credentials, _, _ = parts.netloc.rpartition("@")
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture(scope="module")
def outage(django_db_setup, django_db_blocker):
    """(proxy, server): a server that reaches the database only through the proxy."""
    require_server_database()
    database_port = int(connection.settings_dict["PORT"] or 3306)
    proxy = LoopbackProxy(database_port).start()
    # No Celery worker here: its heartbeat is not what this test is about.
    server = LiveServer(DATABASE_URL=through(proxy), HEALTH_OPTIONAL_CHECKS="worker").start()
    yield proxy, server
    proxy.restore()
    server.stop()
    proxy.stop()


@pytest.fixture
def cut_proxy(outage):
    """The proxy, restored after the test whatever happened."""
    proxy, _ = outage
    yield proxy
    proxy.restore()


async def ready(server) -> httpx.Response:
    async with httpx.AsyncClient(timeout=ANSWER_WITHIN_SECONDS) as http:
        return await http.get(f"{server.url}/api/v1/health/ready")


async def wait_for_ready(server, status: int) -> float:
    """Seconds until readiness answers `status`."""
    started = time.monotonic()
    while (await ready(server)).status_code != status:
        assert time.monotonic() - started < RECOVERY_WITHIN_SECONDS, f"ready never {status}"
        await asyncio.sleep(0.2)
    return time.monotonic() - started


def assert_database_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "database_unavailable"
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert int(response.headers["Retry-After"]) > 0


def activity_body(plan: Plan, title: str, hour: int) -> dict:
    starts = plan.start_at + timedelta(hours=hour)
    return {
        "title": title,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=30)).isoformat(),
    }


# ---------------------------------------------------------------------------- what is in the DB
def assert_no_seq_gaps() -> None:
    """Every topic's events are 1..head, and the head is the last event's seq."""
    for topic, head in TopicSequence.objects.values_list("topic", "last_seq"):
        seqs = list(Event.objects.filter(topic=topic).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, head + 1)), f"{topic}: seqs {seqs}, head {head}"


def events_named(name: str) -> list[Event]:
    return list(Event.objects.filter(name=name))


def activities_all_or_nothing(plan: Plan, titles: list[str]) -> dict[str, bool]:
    """For each title: its activity and exactly one `plan.activity_created` event about it on the
    plan's topic, or neither. Returns title → written."""
    created = [e for e in events_named("plan.activity_created") if e.topic == f"plan:{plan.pk}"]
    written = {}
    for title in titles:
        rows = list(Activity.objects.filter(plan=plan, title=title))
        about = [e for e in created if e.payload["title"] == title]
        assert len(rows) <= 1, title
        if rows:
            assert [e.payload["id"] for e in about] == [rows[0].pk], title
        else:
            assert about == [], f"event without its activity: {title}"
        written[title] = bool(rows)
    return written


def messages_all_or_nothing(conversation: Conversation, client_ids: list[str]) -> dict[str, bool]:
    """For each client_id: one message and exactly one `group.message_sent` event about it on the
    group's topic, or neither. Returns client_id → written."""
    sent = [
        e for e in events_named("group.message_sent") if e.topic == f"group:{conversation.group_id}"
    ]
    written = {}
    for client_id in client_ids:
        rows = list(Message.objects.filter(conversation=conversation, client_id=client_id))
        about = [e for e in sent if e.client_id == client_id]
        assert len(rows) <= 1, client_id
        if rows:
            assert [e.payload["id"] for e in about] == [rows[0].pk], client_id
        else:
            assert about == [], f"event without its message: {client_id}"
        written[client_id] = bool(rows)
    return written


# ---------------------------------------------------------------------------- the outage
async def test_outage_answers_503_keeps_sockets_and_recovers_by_itself(outage, cut_proxy, trip):
    _, server = outage
    conversation = await sync_to_async(Conversation.objects.get)(group=trip.group)
    await wait_for_ready(server, 200)
    async with RealtimeClient(server.url, access_token=token_for(trip.alice)) as alice:
        await alice.next_frame(type="subscribed")  # the automatic user:<id> subscription
        await through_the_outage(server, cut_proxy, trip, conversation, alice)


async def through_the_outage(server, cut_proxy, trip, conversation, alice) -> None:
    await alice.subscribe(trip.plan_topic, since=0)
    await alice.next_frame(type="subscribed")
    async with rest(server, trip.bob) as bob_http:
        bob_ticket = (await bob_http.post("/realtime/ticket")).json()["ticket"]

    cut_proxy.cut()
    cut_at = time.monotonic()
    attempted_titles = ["Outage activity"]
    attempted_client_ids = ["outage-message"]
    async with rest(server, trip.alice) as http:
        http.timeout = httpx.Timeout(ANSWER_WITHIN_SECONDS)
        answers = [
            await http.post(
                f"/plans/{trip.plan.pk}/activities",
                json=activity_body(trip.plan, "Outage activity", 8),
            ),
            await http.post(
                f"/conversations/{conversation.pk}/messages",
                json={"text": "during the outage", "client_id": "outage-message"},
            ),
            await http.post(f"/plans/{trip.plan.pk}/start"),
            await http.get(f"/plans/{trip.plan.pk}"),
            await http.post("/realtime/ticket"),
        ]
    for answer in answers:
        assert_database_unavailable(answer)
    red = await ready(server)
    assert red.status_code == 503
    assert red.json()["checks"]["database"]["status"] == "fail"
    async with httpx.AsyncClient(timeout=ANSWER_WITHIN_SECONDS) as http:
        assert (await http.get(f"{server.url}/api/v1/health/live")).status_code == 200

    # The open connection stays open: it answers pings, and a subscribe that needs the database
    # gets an error frame it can retry.
    await alice.send({"op": "ping", "ref": "still-there"})
    await alice.send({"op": "subscribe", "topic": trip.group_topic, "ref": "during"})
    refused = await alice.next_frame(type="error", timeout=ANSWER_WITHIN_SECONDS)
    assert (refused["code"], refused["ref"]) == ("unavailable", "during")
    # A new connection cannot start without its own topic's head: closed with 1013, try later.
    async with websockets.connect(f"{server.ws_url}?ticket={bob_ticket}") as bob_ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(bob_ws.recv(), ANSWER_WITHIN_SECONDS)
    assert closed.value.rcvd.code == 1013

    cut_proxy.restore()
    red_for = time.monotonic() - cut_at
    recovered_in = await wait_for_ready(server, 200)
    async with rest(server, trip.alice) as http:
        created = await http.post(
            f"/plans/{trip.plan.pk}/activities",
            json=activity_body(trip.plan, "After the outage", 9),
        )
        sent = await http.post(
            f"/conversations/{conversation.pk}/messages",
            json={"text": "back again", "client_id": "after-message"},
        )
        started = await http.post(f"/plans/{trip.plan.pk}/start")
    assert (created.status_code, sent.status_code, started.status_code) == (201, 201, 200)

    # Same connection all along: live events flow, and subscribing works again (each pooled
    # thread of the gateway reconnects on its own).
    assert alice.connections == 1
    names = set()
    while len(names) < 2:
        frame = await alice.next_frame(type="event", timeout=ANSWER_WITHIN_SECONDS)
        if frame["topic"] == trip.plan_topic:
            names.add(frame["event"])
    assert names == {"plan.activity_created", "plan.status_changed"}
    for attempt in range(10):  # more than the gateway's worker threads
        await alice.send({"op": "subscribe", "topic": trip.group_topic, "ref": f"after-{attempt}"})
        answer = await alice.next_frame(type="subscribed", timeout=ANSWER_WITHIN_SECONDS)
        assert answer["ref"] == f"after-{attempt}"

    def in_database():
        assert not activities_all_or_nothing(trip.plan, attempted_titles)["Outage activity"]
        assert not messages_all_or_nothing(conversation, attempted_client_ids)["outage-message"]
        assert activities_all_or_nothing(trip.plan, ["After the outage"]) == {
            "After the outage": True
        }
        assert messages_all_or_nothing(conversation, ["after-message"]) == {"after-message": True}
        assert Plan.objects.get(pk=trip.plan.pk).status == Plan.Status.ONGOING
        assert_no_seq_gaps()

    await sync_to_async(in_database)()
    assert server.alive()
    print(f"\nready red for {red_for:.1f}s in all; green {recovered_in:.1f}s after the restore")


async def test_writes_cut_mid_transaction_are_all_or_nothing(outage, cut_proxy, trip):
    """Many writes to one conversation and one plan at once: they queue on the conversation's
    row lock and the topics' seq rows, so when the proxy is cut most of them are inside an open
    transaction. Each answers 201 or 503; afterwards each is wholly there or not at all, and a
    retry of a message with its client_id leaves exactly one."""
    _, server = outage
    conversation = await sync_to_async(Conversation.objects.get)(group=trip.group)
    await wait_for_ready(server, 200)
    client_ids = [f"burst-{n}" for n in range(30)]
    titles = [f"Burst activity {n}" for n in range(15)]
    done = 0
    cut = asyncio.Event()

    async def counted(request):
        nonlocal done
        response = await request
        done += 1
        if done == 5:
            cut.set()
        return response

    async with rest(server, trip.alice) as http:
        http.timeout = httpx.Timeout(ANSWER_WITHIN_SECONDS)
        sends = [
            counted(
                http.post(
                    f"/conversations/{conversation.pk}/messages",
                    json={"text": client_id, "client_id": client_id},
                )
            )
            for client_id in client_ids
        ]
        creates = [
            counted(
                http.post(
                    f"/plans/{trip.plan.pk}/activities",
                    json=activity_body(trip.plan, title, 10 + n),
                )
            )
            for n, title in enumerate(titles)
        ]
        burst = asyncio.gather(*sends, *creates)
        await asyncio.wait_for(cut.wait(), ANSWER_WITHIN_SECONDS)
        cut_proxy.cut()
        answers = await asyncio.wait_for(burst, ANSWER_WITHIN_SECONDS * 2)
        cut_proxy.restore()

        statuses = [answer.status_code for answer in answers]
        assert set(statuses) <= {201, 503}, [a.text for a in answers if a.status_code != 201]
        refused = [answer for answer in answers if answer.status_code == 503]
        assert refused, "the cut came after every write had finished"
        for answer in refused:
            assert_database_unavailable(answer)
        message_answers = dict(zip(client_ids, answers[: len(client_ids)], strict=True))
        activity_answers = dict(zip(titles, answers[len(client_ids) :], strict=True))

        def after_the_outage():
            messages = messages_all_or_nothing(conversation, client_ids)
            activities = activities_all_or_nothing(trip.plan, titles)
            for key, answer in [*message_answers.items(), *activity_answers.items()]:
                if answer.status_code == 201:
                    assert {**messages, **activities}[key], f"{key} answered 201 but is missing"
            assert_no_seq_gaps()
            return messages, activities

        messages, activities = await sync_to_async(after_the_outage)()
        await wait_for_ready(server, 200)
        # The client's retry: safe for messages (client_id), whether or not the first try landed.
        for client_id, answer in message_answers.items():
            if answer.status_code == 503:
                retry = await http.post(
                    f"/conversations/{conversation.pk}/messages",
                    json={"text": client_id, "client_id": client_id},
                )
                assert retry.status_code in (200, 201), retry.text
    retried = await sync_to_async(messages_all_or_nothing)(conversation, client_ids)
    assert all(retried.values())
    await sync_to_async(assert_no_seq_gaps)()
    landed_anyway = [
        key
        for key, answer in [*message_answers.items(), *activity_answers.items()]
        if answer.status_code == 503 and {**messages, **activities}[key]
    ]
    print(
        f"\n{statuses.count(201)} writes succeeded, {len(refused)} refused with 503 "
        f"({len(landed_anyway)} of those committed before the cut reached the answer); "
        f"{sum(messages.values()) + sum(activities.values())} of {len(answers)} in the database"
    )
