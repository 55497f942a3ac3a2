"""Benchmark: GET /api/v1/plans/{id} with the snapshot cache vs without, side by side.

    .venv/bin/python bench/cache/plan_detail.py                      # SQLite + in-process cache
    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=mysql://root@127.0.0.1:3306/pp_bench_cache \
        .venv/bin/python bench/cache/plan_detail.py                  # MariaDB + Redis

Both variants run in one process against the same data, in alternating rounds (so drift of the
machine hits both alike), through the whole Django + DRF stack (middleware, authentication,
throttling, permission checks, serialisation). A plan with --activities activities is read by a
group member; "uncached" sets API_CACHE_SECONDS=0. Reported: median and p95 latency, requests per
second, and the ratio uncached/cached of the medians. Results also go to bench/results/ as JSON.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def setup_django(args) -> str:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-cache.sqlite3"
    os.environ.setdefault("SECRET_KEY", "planpal-bench-only-secret-key-xxxxxxxxxxxxxxxxxxxxx")
    os.environ.setdefault("REDIS_KEY_PREFIX", f"pp-bench-{os.getpid()}:")
    os.environ["RATE_LIMITS"] = "off"  # the bench sends far more than a person would
    os.environ.setdefault("LOG_LEVEL", "warning")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return os.environ["DATABASE_URL"].split("@")[-1]


def build_world(activities: int):
    from django.utils import timezone

    from planpal.accounts.models import User
    from planpal.groups import services as groups
    from planpal.groups.models import Membership
    from planpal.plans import services as plans

    suffix = str(time.time_ns())[-8:]
    owner = User.objects.create_user(f"bench-owner-{suffix}", password="x" * 12)
    member = User.objects.create_user(f"bench-member-{suffix}", password="x" * 12)
    group = groups.group_create(actor=owner, name="Bench trip", description="")
    Membership.objects.create(group=group, user=member, role=Membership.Role.MEMBER)
    start = timezone.now() + timedelta(days=30)
    plan = plans.plan_create(
        actor=owner,
        title="Bench plan",
        description="A plan read many times",
        group_id=group.pk,
        start_at=start,
        end_at=start + timedelta(days=activities + 1),
        timezone="Europe/Lisbon",
    )
    for index in range(activities):
        begins = start + timedelta(hours=index * 3)
        plans.activity_create(
            actor=owner,
            plan_id=plan.pk,
            title=f"Activity {index}",
            starts_at=begins,
            ends_at=begins + timedelta(hours=2),
            location_name="Somewhere nice",
            notes="Bring water. " * 5,
        )
    return member, plan


def run(args) -> dict:
    database = setup_django(args)
    from django.conf import settings
    from rest_framework.test import APIClient

    member, plan = build_world(args.activities)
    client = APIClient()
    client.force_authenticate(user=member)
    url = f"/api/v1/plans/{plan.pk}"
    cached_seconds = settings.API_CACHE_SECONDS or 600

    def one_round(cached: bool) -> list[float]:
        settings.API_CACHE_SECONDS = cached_seconds if cached else 0
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
        return timings

    settings.API_CACHE_SECONDS = 0
    fresh = client.get(url).json()
    settings.API_CACHE_SECONDS = cached_seconds
    client.get(url)
    assert client.get(url).json() == fresh, "a cached answer must equal the uncached one"
    samples: dict[str, list[float]] = {"uncached": [], "cached": []}
    for round_number in range(args.rounds):
        order = ("uncached", "cached") if round_number % 2 == 0 else ("cached", "uncached")
        for variant in order:
            samples[variant] += one_round(variant == "cached")
    settings.API_CACHE_SECONDS = cached_seconds

    def summary(timings: list[float]) -> dict:
        ordered = sorted(timings)
        return {
            "requests": len(ordered),
            "median_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
            "requests_per_s": round(len(ordered) / sum(ordered), 1),
        }

    result = {
        "bench": "cache/plan_detail",
        "database": database,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "activities": args.activities,
        "rounds": args.rounds,
        "uncached": summary(samples["uncached"]),
        "cached": summary(samples["cached"]),
    }
    result["ratio_median"] = round(
        result["uncached"]["median_ms"] / result["cached"]["median_ms"], 2
    )
    result["ratio_throughput"] = round(
        result["cached"]["requests_per_s"] / result["uncached"]["requests_per_s"], 2
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="per round and variant")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    result = run(args)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"cache-plan-detail-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    u, c = result["uncached"], result["cached"]
    print(
        f"plan detail, {result['activities']} activities, {result['database']} + {result['cache']}"
    )
    print(f"  uncached: median {u['median_ms']} ms  p95 {u['p95_ms']} ms  {u['requests_per_s']}/s")
    print(f"  cached:   median {c['median_ms']} ms  p95 {c['p95_ms']} ms  {c['requests_per_s']}/s")
    print(f"  ratio (uncached/cached median): {result['ratio_median']}x  → {out}")


if __name__ == "__main__":
    main()
