"""Event driver: a Django process against the bench database that builds the bench world, mints
tickets and writes events through PlanPal's real write path at a given rate.

Started by the controller as `python -m bench.driver`; one JSON command per line on stdin, one
JSON answer per line on stdout.

- **World** (idempotent, bulk ORM inserts — it is fixture data, not the thing measured): users
  `bench-u<i>`, one "fan" group per peer holding the first `fan_members` of them with one plan
  of 16 activities (each peer gets its own topic, so peers running side by side never see each
  other's events), and `groups` small groups of `group_size` consecutive users with one plan and one
  activity each.
- **Tickets** are minted straight into the server's cache (Redis), exactly as
  `POST /api/v1/realtime/ticket` stores them, with a longer TTL: thousands of connections need
  thousands of tickets, and issuing them over REST would measure the ticket endpoint instead
  of the gateway.
- **Events**: `plans.services.activity_update` (an edit of the activity's notes) by the plan's
  owner, in its own transaction → outbox row with the topic's next seq → after commit
  `publisher.publish_events` → Redis PUBLISH. Event k of a run is due at t0 + k/rate; jobs
  (activities) are spread over threads so one activity is always written by one thread.
  `plan.activity_updated` has no notification side effects, so every event costs the same.
- **Naive mode** (`mode`): for the naive peer's topics the publisher's bus send is replaced by
  one channels_redis `group_send` per event, the literal design the naive peer is built for.
"""

import asyncio
import json
import os
import secrets
import sys
import threading
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.naive.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from planpal.accounts.models import User  # noqa: E402
from planpal.chat.models import Conversation  # noqa: E402
from planpal.groups.models import Group, Membership  # noqa: E402
from planpal.plans import services  # noqa: E402
from planpal.plans.models import Activity, Plan  # noqa: E402
from planpal.realtime import bus  # noqa: E402
from planpal.realtime.models import Event  # noqa: E402
from planpal.realtime.selectors import stream_positions  # noqa: E402
from planpal.realtime.tickets import PREFIX as TICKET_PREFIX  # noqa: E402

FAN_ACTIVITIES = 16
FAR = timedelta(days=3650)


# ---------------------------------------------------------------------------- world
def _plan_with_activities(group: Group, owner_id: int, count: int) -> Plan:
    plan = Plan.objects.filter(group=group, title="bench").first()
    if plan is None:
        start = timezone.now() + FAR
        plan = Plan.objects.create(
            title="bench",
            group=group,
            creator_id=owner_id,
            start_at=start,
            end_at=start + timedelta(days=30),
        )
    have = Activity.objects.filter(plan=plan).count()
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            title=f"activity {i}",
            position=i,
            created_by_id=owner_id,
            starts_at=plan.start_at + timedelta(hours=i),
            notes="",
            ends_at=plan.start_at + timedelta(hours=i, minutes=30),
        )
        for i in range(have, count)
    )
    return plan


def _group(name: str, member_ids: list[int]) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.create(name=name, owner_id=member_ids[0])
        Conversation.objects.create(kind=Conversation.Kind.GROUP, group=group)
    have = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        Membership(group=group, user_id=uid, role="owner" if i == 0 else "member")
        for i, uid in enumerate(member_ids)
        if uid not in have
    )
    return group


def cmd_world(users: int, fan_members: int, groups: int, group_size: int, fans: list[str]) -> dict:
    started = time.monotonic()
    names = [f"bench-u{i}" for i in range(users)]
    existing = dict(
        User.objects.filter(username__startswith="bench-u").values_list("username", "id")
    )
    missing = [n for n in names if n not in existing]
    if missing:
        password = make_password("bench-password")
        for chunk in range(0, len(missing), 2000):
            User.objects.bulk_create(
                User(username=n, email=f"{n}@bench.invalid", password=password, display_name=n)
                for n in missing[chunk : chunk + 2000]
            )
        existing = dict(
            User.objects.filter(username__startswith="bench-u").values_list("username", "id")
        )
    user_ids = [existing[n] for n in names]

    fan_plans = {
        name: _plan_with_activities(
            _group(f"bench-fan-{name}", user_ids[:fan_members]), user_ids[0], FAN_ACTIVITIES
        )
        for name in fans
    }
    small = []
    existing_groups = {
        g.name: g
        for g in Group.objects.filter(name__startswith="bench-g", name__regex=r"^bench-g[0-9]+$")
    }
    for g in range(groups):
        members = user_ids[g * group_size : (g + 1) * group_size]
        name = f"bench-g{g}"
        group = existing_groups.get(name)
        if group is None or Membership.objects.filter(group=group).count() < len(members):
            group = _group(name, members)
        small.append((group, members[0]))
    plans_by_group = {
        p.group_id: p for p in Plan.objects.filter(group__in=[g for g, _ in small], title="bench")
    }
    for group, owner in small:
        if group.pk not in plans_by_group:
            plans_by_group[group.pk] = _plan_with_activities(group, owner, 1)
    first_activity = dict(
        Activity.objects.filter(plan__in=list(plans_by_group.values()), position=0).values_list(
            "plan_id", "id"
        )
    )
    # Old events only slow the log down; seqs live on in TopicSequence.
    Event.objects.filter(created_at__lt=timezone.now() - timedelta(hours=1)).delete()
    return {
        "user_ids": user_ids,
        "fans": {
            name: {
                "plan": plan.pk,
                "owner": user_ids[0],
                "activities": list(
                    Activity.objects.filter(plan=plan)
                    .order_by("position")
                    .values_list("id", flat=True)
                ),
            }
            for name, plan in fan_plans.items()
        },
        "small": [
            {
                "plan": plans_by_group[g.pk].pk,
                "owner": owner,
                "activity": first_activity[plans_by_group[g.pk].pk],
            }
            for g, owner in small
        ],
        "seconds": time.monotonic() - started,
    }


def cmd_tickets(user_ids: list[int], ttl: int = 900) -> dict:
    tickets = [secrets.token_urlsafe(32) for _ in user_ids]
    for chunk in range(0, len(tickets), 1000):
        cache.set_many(
            {
                TICKET_PREFIX + t: uid
                for t, uid in zip(
                    tickets[chunk : chunk + 1000], user_ids[chunk : chunk + 1000], strict=True
                )
            },
            timeout=ttl,
        )
    return {"tickets": tickets}


def cmd_heads(topics: list[str]) -> dict:
    return {topic: position["seq"] for topic, position in stream_positions(topics).items()}


# ---------------------------------------------------------------------------- publishing
_group_sender = None


class GroupSender:
    """The naive publisher: channels_redis group_send per event, from a loop of its own."""

    def __init__(self) -> None:
        from channels.layers import get_channel_layer

        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.layer = get_channel_layer()

    def send(self, messages: list[tuple[str, str]]) -> None:
        future = asyncio.run_coroutine_threadsafe(self._send(messages), self.loop)
        future.result(timeout=30)

    async def _send(self, messages) -> None:
        from bench.naive.consumer import group_name

        for topic, message in messages:
            header, _, frame = message.partition("\n")
            seq = int(header.split(" ", 1)[0])
            await self.layer.group_send(
                group_name(topic),
                {"type": "bench.event", "topic": topic, "seq": seq, "frame": frame},
            )


_redis_send = bus.send


def cmd_mode(group_send_topics: list[str]) -> dict:
    """Events of these topics are published with group_send (the naive peer), others to Redis."""
    global _group_sender
    naive = set(group_send_topics)
    if not naive:
        bus.send = _redis_send
        return {"group_send_topics": 0}
    _group_sender = _group_sender or GroupSender()

    def send(messages: list[tuple[str, str]]) -> None:
        grouped = [m for m in messages if m[0] in naive]
        if grouped:
            _group_sender.send(grouped)
        if len(grouped) < len(messages):
            _redis_send([m for m in messages if m[0] not in naive])

    bus.send = send
    return {"group_send_topics": len(naive)}


# ---------------------------------------------------------------------------- driving
def cmd_drive(rate: float, seconds: float, jobs: list[list[int]], threads: int = 4) -> dict:
    """jobs: [[activity_id, actor_id, plan_id], ...]; event k (k < rate*seconds) goes to job
    k % len(jobs) at t0 + k / rate."""
    total = max(1, round(rate * seconds))
    threads = max(1, min(threads, len(jobs)))
    lags: list[float] = []
    calls: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    t0 = time.monotonic() + 0.05

    def work(index: int) -> None:
        mine = [j for j in range(len(jobs)) if j % threads == index]
        versions = dict(
            Activity.objects.filter(id__in=[jobs[j][0] for j in mine]).values_list("id", "version")
        )
        actors = {jobs[j][1]: None for j in mine}
        for actor_id in actors:
            actors[actor_id] = User.objects.get(pk=actor_id)
        my_lags, my_calls, my_errors = [], [], {}
        for k in range(total):
            job = k % len(jobs)
            if job % threads != index:
                continue
            due = t0 + k / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            activity_id, actor_id, _plan = jobs[job]
            began = time.monotonic()
            my_lags.append(began - due)
            try:
                activity = services.activity_update(
                    actor=actors[actor_id],
                    activity_id=activity_id,
                    version=versions[activity_id],
                    notes=f"bench {k} {time.time():.3f}",
                )
                versions[activity_id] = activity.version
            except Exception as exc:  # noqa: BLE001 - counted; the version is re-read
                name = type(exc).__name__
                my_errors[name] = my_errors.get(name, 0) + 1
                versions[activity_id] = Activity.objects.get(pk=activity_id).version
            my_calls.append(time.monotonic() - began)
        connection.close()
        with lock:
            lags.extend(my_lags)
            calls.extend(my_calls)
            for name, count in my_errors.items():
                errors[name] = errors.get(name, 0) + count

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - t0
    close_old_connections()
    topics = sorted({f"plan:{j[2]}" for j in jobs})
    calls.sort()
    return {
        "events": len(calls) - sum(errors.values()),
        "errors": errors,
        "seconds": elapsed,
        "rate": len(calls) / elapsed if elapsed else 0.0,
        "max_lag": max(lags) if lags else 0.0,
        "call_ms_p50": 1000 * calls[len(calls) // 2] if calls else 0.0,
        "call_ms_p99": 1000 * calls[int(len(calls) * 0.99)] if calls else 0.0,
        "heads": cmd_heads(topics),
    }


def cmd_token(user_id: int) -> dict:
    """An access token for REST requests of a bench user, as `POST auth/token` issues it."""
    from rest_framework_simplejwt.tokens import AccessToken

    return {"token": str(AccessToken.for_user(User.objects.get(pk=user_id)))}


def cmd_tokens(user_ids: list[int]) -> dict:
    from rest_framework_simplejwt.tokens import AccessToken

    users = User.objects.in_bulk(user_ids)
    return {"tokens": [str(AccessToken.for_user(users[uid])) for uid in user_ids]}


def cmd_team(members: int, activities: int) -> dict:
    """A group of the first `members` bench users with a conversation and a plan of
    `activities` activities, all made not completed again (fixture reset, no events): the
    REST-writes scenario completes each at most once per rung."""
    user_ids = list(
        User.objects.filter(username__startswith="bench-u")
        .order_by("id")
        .values_list("id", flat=True)[:members]
    )
    group = _group(f"bench-team-{members}", user_ids)
    plan = _plan_with_activities(group, user_ids[0], activities)
    ids = list(Activity.objects.filter(plan=plan).order_by("position").values_list("id", flat=True))
    Activity.objects.filter(id__in=ids).update(completed_at=None, completed_by=None)
    return {
        "users": user_ids,
        "group": group.pk,
        "plan": plan.pk,
        "conversation": Conversation.objects.get(group=group).pk,
        "activities": ids,
    }


def cmd_events(topic: str, after: int) -> dict:
    """The topic's events after `after`: seq, commit time, name, client_id, payload id."""
    rows = Event.objects.filter(topic=topic, seq__gt=after).order_by("seq")
    return {
        "events": [
            [e.seq, e.created_at.timestamp(), e.name, e.client_id, (e.payload or {}).get("id")]
            for e in rows.only("seq", "created_at", "name", "client_id", "payload")
        ]
    }


def cmd_info() -> dict:
    return {"database": settings.DATABASES["default"]["ENGINE"], "redis": bool(settings.REDIS_URL)}


COMMANDS = {
    "world": cmd_world,
    "tickets": cmd_tickets,
    "heads": cmd_heads,
    "mode": cmd_mode,
    "drive": cmd_drive,
    "token": cmd_token,
    "tokens": cmd_tokens,
    "team": cmd_team,
    "events": cmd_events,
    "info": cmd_info,
}


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        name = request.pop("cmd")
        if name == "quit":
            break
        try:
            answer = COMMANDS[name](**request)
        except Exception as exc:  # noqa: BLE001 - reported to the controller
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
