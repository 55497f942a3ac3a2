"""`python -m bench.write_path [--sizes 2,10,40,200] [--requests 30]`: the server time of
`POST /api/v1/activities/{id}/complete` against the size of the group (issue 15: a write's cost
must not grow with the number of members it notifies).

Django runs in this process on `DATABASE_URL` (MariaDB for figures that mean something; the
database is migrated and the run's users are new), the request goes through the whole stack
(middleware, JWT authentication, view, service, commit, publish). As in a web process, per-member
work that happens after commit runs in the background fan-out thread; between two requests the
script waits until it is done, so it never competes with the request being measured. Printed
per size: median / p90 server time of the request, and how long the fan-out after it took.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The fan-out after commit in this process's thread even with REDIS_URL: no worker runs here, and
# the figure is the request's own time (the same whether the thread fans out or queues a task).
os.environ.setdefault("FANOUT_IN_WORKER", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from planpal.accounts.models import User  # noqa: E402
from planpal.chat.services import conversation_create_for_group  # noqa: E402
from planpal.groups.models import Group, Membership  # noqa: E402
from planpal.plans import services as plans  # noqa: E402

try:  # the post-commit fan-out (absent before it existed: everything ran in the request)
    from planpal.realtime import fanout
except ImportError:  # pragma: no cover - measuring the old code
    fanout = None
if not hasattr(fanout, "start_background"):  # pragma: no cover - measuring the old code
    fanout = None


def world(members: int, tag: str) -> tuple[User, int]:
    """A group of `members` users with a plan and one activity; returns (actor, activity id)."""
    users = User.objects.bulk_create(
        User(username=f"wp{tag}m{members}u{n}", display_name=f"User {n}", password="!")
        for n in range(members)
    )
    users = list(User.objects.filter(username__startswith=f"wp{tag}m{members}u").order_by("pk"))
    group = Group.objects.create(name=f"Group of {members}", owner=users[0])
    conversation_create_for_group(group=group)
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role="owner" if n == 0 else "member")
        for n, user in enumerate(users)
    )
    start = timezone.now() + timedelta(days=30)
    plan = plans.plan_create(
        actor=users[0], title="Trip", group_id=group.pk, start_at=start, end_at=start + timedelta(2)
    )
    activity, _ = plans.activity_create(
        actor=users[0],
        plan_id=plan.pk,
        title="Coffee",
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
    )
    return users[1], activity.pk


def token_for(user: User) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    return str(AccessToken.for_user(user))


def drained_after(started: float) -> float:
    """Wait until the fan-out has nothing pending; seconds since `started`."""
    if fanout is not None:
        while fanout.pending_count():
            time.sleep(0.002)
    return time.perf_counter() - started


def measure(members: int, requests: int, tag: str) -> dict:
    actor, activity_id = world(members, tag)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(actor)}")
    url = f"/api/v1/activities/{activity_id}/complete"
    server, fanned = [], []
    for n in range(requests + 3):
        started = time.perf_counter()
        response = client.post(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (response.status_code, response.content[:300])
        done = drained_after(started)
        if n >= 3:  # warm-up
            server.append(elapsed * 1000)
            fanned.append(done * 1000)
        plans.activity_reopen(actor=actor, activity_id=activity_id)
        drained_after(time.perf_counter())
    server.sort()
    return {
        "members": members,
        "median_ms": statistics.median(server),
        "p90_ms": server[int(len(server) * 0.9) - 1],
        "fanout_done_ms": statistics.median(fanned),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.write_path", description=__doc__)
    parser.add_argument("--sizes", default="2,10,40,200")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    if fanout is not None:
        fanout.start_background()
    tag = str(int(time.time()))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
    print("| members | server time median | p90 | fan-out done (median) |")
    print("|---|---|---|---|")
    rows = [measure(int(size), args.requests, tag) for size in args.sizes.split(",")]
    for row in rows:
        print(
            f"| {row['members']} | {row['median_ms']:.1f} ms | {row['p90_ms']:.1f} ms "
            f"| {row['fanout_done_ms']:.1f} ms |"
        )
    base = rows[0]["median_ms"]
    for row in rows[1:]:
        print(f"{row['members']} vs {rows[0]['members']} members: {row['median_ms'] / base:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
