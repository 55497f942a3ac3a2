"""`python -m bench.money [--expenses 1000] [--members 20] [--requests 300]`: how long a plan's
balances take (issue 17: 1,000 expenses and 20 members answered in ≤ 50 ms p99 on MariaDB), and
what adding an expense costs in a group of 2 and of 40 (the same split between 2), and split
between all 40.

Django runs in this process on `DATABASE_URL` (MariaDB for figures that mean something; the
database is migrated, the run's users and plan are new). The expenses are written through the
services (splits of every strategy between 2 to 20 members, some in another currency), then
`GET /api/v1/plans/{id}/balances` goes through the whole stack (middleware, JWT, view, the
aggregate queries, settle-up, rendering). Printed: median, p90, p99 and max.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("FANOUT_IN_WORKER", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from planpal.accounts.models import User  # noqa: E402
from planpal.groups.models import Group, Membership  # noqa: E402
from planpal.money import services as money  # noqa: E402
from planpal.money.models import Expense  # noqa: E402
from planpal.plans import services as plans  # noqa: E402
from planpal.plans.models import Plan  # noqa: E402
from planpal.realtime import fanout  # noqa: E402


def world(members: int, tag: str):
    prefix = f"mb{tag}m{members}u"
    User.objects.bulk_create(
        User(username=f"{prefix}{n}", display_name=f"User {n}", password="!")
        for n in range(members)
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    group = Group.objects.create(name=f"Group of {members}", owner=users[0])
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role="owner" if n == 0 else "member")
        for n, user in enumerate(users)
    )
    start = timezone.now() + timedelta(days=30)
    plan = plans.plan_create(
        actor=users[0], title="Trip", group_id=group.pk, start_at=start, end_at=start + timedelta(2)
    )
    money.budget_set(actor=users[0], plan_id=plan.pk, amount="900000000")
    return plan, users


def split(rng: random.Random, people: list[int], amount: int, cents: bool) -> dict:
    """A split of `amount` minor units (cents when `cents`)."""
    strategy = rng.choice(["equal", "equal", "shares", "percent", "exact"])
    if strategy == "equal":
        values = [None] * len(people)
    elif strategy == "shares":
        values = [rng.randint(1, 4) for _ in people]
    elif strategy == "percent":
        values = [100 // len(people)] * len(people)
        values[0] += 100 - sum(values)
    else:
        values = [amount // len(people)] * len(people)
        values[0] += amount - sum(values)
    if strategy == "exact" and cents:
        values = [f"{v / 100:.2f}" for v in values]
    participants = [
        {"user_id": p, "value": None if v is None else str(v)}
        for p, v in zip(people, values, strict=True)
    ]
    return {"strategy": strategy, "participants": participants}


def fill(plan, users, count: int) -> None:
    rng = random.Random(17)
    ids = [u.pk for u in users]
    for n in range(count):
        payer = rng.choice(users)
        amount = rng.randint(10_000, 5_000_000)
        people = rng.sample(ids, rng.randint(2, len(ids)))
        foreign = n % 10 == 0
        money.expense_create(
            actor=payer,
            plan_id=plan.pk,
            title=f"Expense {n}",
            amount=f"{amount / 100:.2f}" if foreign else str(amount),
            currency="EUR" if foreign else None,
            rate="27123.5" if foreign else None,
            split=split(rng, people, amount, foreign),
        )
        if n % 100 == 99:
            fanout.run_pending()


def timed(call, requests: int) -> list[float]:
    times = []
    for n in range(requests + 5):
        started = time.perf_counter()
        call()
        if n >= 5:  # warm-up
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def row(name: str, times: list[float]) -> str:
    p90 = times[int(len(times) * 0.9) - 1]
    p99 = times[int(len(times) * 0.99) - 1]
    median = statistics.median(times)
    return f"| {name} | {median:.1f} ms | {p90:.1f} ms | {p99:.1f} ms | {times[-1]:.1f} ms |"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def add_cost(members: int, split_between: int, tag: str, requests: int) -> list[float]:
    """The request's own time: the notifications after commit run between requests, untimed
    (a web process hands them to a worker)."""
    plan, users = world(members, tag)
    client = client_for(users[0])
    people = users[:split_between]
    body = {
        "title": "Dinner",
        "amount": "1000000",
        "split": {"strategy": "equal", "participants": [{"user_id": u.pk} for u in people]},
    }
    times: list[float] = []
    for n in range(requests + 5):
        started = time.perf_counter()
        response = client.post(f"/api/v1/plans/{plan.pk}/expenses", body, format="json")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 201, response.content[:300]
        fanout.run_pending()
        if n >= 5:  # warm-up
            times.append(elapsed)
    return sorted(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.money", description=__doc__)
    parser.add_argument("--expenses", type=int, default=1000)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--plan", type=int, help="measure this plan of an earlier run (no refill)")
    parser.add_argument("--skip-add", action="store_true", help="only GET balances")
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    tag = str(int(time.time()))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
    if args.plan:
        plan = Plan.objects.get(pk=args.plan)
        users = list(User.objects.filter(memberships__group=plan.group).order_by("pk"))
    else:
        plan, users = world(args.members, tag)
        started = time.perf_counter()
        fill(plan, users, args.expenses)
        print(f"written in {time.perf_counter() - started:.1f} s (plan {plan.pk})", file=sys.stderr)
    count = Expense.objects.filter(plan=plan).count()
    client = client_for(users[1])
    url = f"/api/v1/plans/{plan.pk}/balances"
    assert client.get(url).status_code == 200
    print("| measured | median | p90 | p99 | max |")
    print("|---|---|---|---|---|")
    name = f"GET balances, {count} expenses, {len(users)} members"
    print(row(name, timed(lambda: client.get(url), args.requests)))
    # The group's size alone (2 → 40, the same split) and the split's size (2 → 40 shares).
    for members, between in () if args.skip_add else ((2, 2), (40, 2), (40, 40)):
        name = f"POST expense split between {between} of a group of {members}"
        print(row(name, add_cost(members, between, f"{tag}s{between}", 100)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
