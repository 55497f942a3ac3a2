"""FCM storms end to end: a real server and Celery worker push through the fake FCM while it
answers every send with 429 RESOURCE_EXHAUSTED / 503 UNAVAILABLE (most with Retry-After), then
recovers. Every push that should go out arrives exactly once per device, no retry comes before
the Retry-After the fake asked for, and what was read during the storm is never pushed."""

import asyncio
import itertools
import time
from collections import defaultdict

import pytest

from planpal.groups.models import Membership
from planpal.notifications.models import Device, Notification, PushAttempt
from tests.conftest import make_user
from tests.notifications.conftest import push_stack_running
from tests.realtime.conftest import require_redis, rest

pytestmark = pytest.mark.django_db(transaction=True)

MAX_RETRY_DELAY = 4  # seconds: the backoff cap, and so the longest wait for a pending retry
STORM = [
    {"name": "QUOTA_EXCEEDED", "retry_after": 2},  # 429 RESOURCE_EXHAUSTED
    {"name": "UNAVAILABLE", "retry_after": 1},  # 503
    "UNAVAILABLE",  # 503 without Retry-After: backoff alone
]
DEVICES = {"bob": ["bob-phone", "bob-tablet"], "dave": ["dave-phone"], "erin": ["erin-phone"]}


@pytest.fixture(scope="module")
def storm_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    require_redis()
    with push_stack_running(
        tmp_path_factory.mktemp("fcm"),
        worker=True,
        PUSH_DELAY_SECONDS="1",
        PUSH_TIMEOUT_SECONDS="3",
        # A storm lasts as long as the test needs: no push may run out of attempts meanwhile.
        PUSH_MAX_ATTEMPTS="50",
        PUSH_MAX_RETRY_DELAY_SECONDS=str(MAX_RETRY_DELAY),
    ) as stack:
        yield stack


@pytest.fixture
def crew(storm_stack, trip):
    """The trip's group with two senders (alice, carol: no devices) and three away members with
    devices (bob: a phone and a tablet; dave, erin: a phone each)."""
    storm_stack.fcm.reset()
    trip.dave, trip.erin = make_user("dave"), make_user("erin")
    for user in (trip.carol, trip.dave, trip.erin):
        Membership.objects.create(group=trip.group, user=user, role=Membership.Role.MEMBER)
    for user in (trip.bob, trip.dave, trip.erin):
        for token in DEVICES[user.username]:
            Device.objects.create(user=user, platform="android", token=token)
    trip.stack = storm_stack
    return trip


async def post(crew, user, path: str, body: dict | None = None) -> dict:
    async with rest(crew.stack.server, user) as api:
        response = await api.post(path, json=body or {})
    assert response.status_code in (200, 201), response.text
    return response.json()


async def chat(crew, user, text: str) -> None:
    await post(crew, user, f"/conversations/{crew.group.conversation.pk}/messages", {"text": text})


def pair(received) -> tuple[str, int]:
    """(device token, notification id) of one send."""
    return received.message["token"], int(received.message["data"]["notification_id"])


def by_pair(fcm) -> dict[tuple[str, int], list]:
    """Every send the fake answered, as (received, reply), grouped by device and notification."""
    grouped = defaultdict(list)
    for received, reply in fcm.answered:
        grouped[pair(received)].append((received, reply))
    return grouped


def due_pushes(users) -> set[tuple[str, int]]:
    """(token, notification id) for every notification of these users on each of their devices."""
    notifications = Notification.objects.filter(user__in=users).values_list("pk", "user_id")
    tokens = defaultdict(list)
    for user_id, token in Device.objects.filter(user__in=users).values_list("user_id", "token"):
        tokens[user_id].append(token)
    return {(token, pk) for pk, user_id in notifications for token in tokens[user_id]}


async def wait_until(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        await asyncio.sleep(0.2)


def refusals(exchanges) -> int:
    return sum(reply.status != 200 for _, reply in exchanges)


def deliveries(exchanges) -> int:
    return sum(reply.status == 200 for _, reply in exchanges)


async def test_a_storm_delays_pushes_but_delivers_each_exactly_once_per_device(crew):
    fcm = crew.stack.fcm
    fcm.storm(STORM)
    for n in range(6):  # one collapsed chat notification per member, from two senders
        await chat(crew, crew.alice if n % 2 else crew.carol, f"storm message {n}")
    for n, activity in enumerate(crew.activities):  # one notification each
        await post(crew, crew.carol if n % 2 else crew.alice, f"/activities/{activity.pk}/complete")
    await post(crew, crew.alice, f"/plans/{crew.plan.pk}/start")  # plan.status_changed
    away = [crew.bob, crew.dave, crew.erin]
    # Notifications are written after commit, by the worker: the last write's may still be due.
    due = await asyncio.to_thread(due_pushes, away)
    deadline = time.monotonic() + 30
    while len(due) < 5 * 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        due = await asyncio.to_thread(due_pushes, away)
    assert len(due) == 5 * 4  # 5 notifications each; bob's on two devices

    # The storm holds until every due push has been refused at least twice.
    await wait_until(
        lambda: all(refusals(by_pair(fcm)[p]) >= 2 for p in due), "every push was refused twice"
    )
    fcm.calm()
    calm_at = time.monotonic()
    await wait_until(
        lambda: all(deliveries(by_pair(fcm)[p]) >= 1 for p in due), "every push was delivered"
    )
    await asyncio.sleep(MAX_RETRY_DELAY + 2)  # any duplicate would be sent by now

    sends = by_pair(fcm)
    assert set(sends) == due  # nothing pushed that was not due (the senders have no devices)
    assert {p: deliveries(sends[p]) for p in due} == dict.fromkeys(due, 1)
    for exchanges in sends.values():  # delivered last: nothing sent after success
        assert exchanges[-1][1].status == 200
        assert refusals(exchanges) == len(exchanges) - 1

    # No retry came sooner than the Retry-After of the refusal before it.
    honoured = []
    for exchanges in sends.values():
        for (before, refusal), (after, _) in itertools.pairwise(exchanges):
            if "Retry-After" in refusal.headers:
                waited = after.at - before.at
                assert waited >= float(refusal.headers["Retry-After"]) - 0.05, exchanges
                honoured.append(waited - float(refusal.headers["Retry-After"]))

    # The attempt log agrees with what the fake saw: one SENT row per delivery, with FCM's id.
    attempts = await asyncio.to_thread(
        lambda: list(PushAttempt.objects.values_list("outcome", "message_id"))
    )
    fcm_ids = {
        reply.body["name"] for ex in sends.values() for _, reply in ex if reply.status == 200
    }
    assert sorted(m for o, m in attempts if o == PushAttempt.Outcome.SENT) == sorted(fcm_ids)
    refused = sum(refusals(ex) for ex in sends.values())
    assert sum(o == PushAttempt.Outcome.TRANSIENT for o, _ in attempts) == refused

    delivered_at = [r.at for ex in sends.values() for r, reply in ex if reply.status == 200]
    statuses = [reply.status for ex in sends.values() for _, reply in ex]
    print(
        f"\n{len(due)} pushes, {refused} refused sends ({statuses.count(429)} x 429, "
        f"{statuses.count(503)} x 503), at most {max(map(refusals, sends.values()))} refusals "
        f"for one push; Retry-After honoured {len(honoured)} times (least slack "
        f"{min(honoured):.2f}s); after recovery first delivery in "
        f"{min(delivered_at) - calm_at:.2f}s, last in {max(delivered_at) - calm_at:.2f}s"
    )


async def test_what_is_read_during_the_storm_is_never_pushed(crew):
    fcm = crew.stack.fcm
    fcm.storm(STORM)
    await chat(crew, crew.alice, "where is everyone?")
    await post(crew, crew.carol, f"/activities/{crew.activities[0].pk}/complete")
    # The notifications are written by the fan-out after each commit, a moment later.
    deadline = time.monotonic() + 10
    while True:
        erin_due = await asyncio.to_thread(due_pushes, [crew.erin])
        bob_due = await asyncio.to_thread(due_pushes, [crew.bob])
        if (len(erin_due), len(bob_due)) == (2, 4) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert len(erin_due) == 2 and len(bob_due) == 4

    await wait_until(
        lambda: all(refusals(by_pair(fcm)[p]) >= 1 for p in erin_due), "erin's pushes were tried"
    )
    await post(crew, crew.erin, "/notifications/read-all")  # read on another device
    # A retry that checked the notification just before the read committed is refused by the
    # storm anyway; give any such send time to arrive before the storm ends.
    await asyncio.sleep(1)
    fcm.calm()
    await wait_until(
        lambda: all(deliveries(by_pair(fcm)[p]) >= 1 for p in bob_due), "bob's pushes arrived"
    )
    await asyncio.sleep(MAX_RETRY_DELAY + 2)  # every retry of erin's pushes is due by now

    sends = by_pair(fcm)
    assert all(refusals(sends[p]) >= 1 for p in erin_due)
    assert [deliveries(sends[p]) for p in sorted(erin_due)] == [0, 0]
    assert [deliveries(sends[p]) for p in sorted(bob_due)] == [1, 1, 1, 1]
    erin_sent = await asyncio.to_thread(
        PushAttempt.objects.filter(device__user=crew.erin, outcome=PushAttempt.Outcome.SENT).count
    )
    assert erin_sent == 0
