"""`python -m bench run [--quick | --smoke] [--only fanout,topics,multiprocess] [--peers ...]`

Runs the scenarios against every peer and writes results.json, summary.md and PNG plots to
bench/results/<timestamp>/ (and prints the summary). See docs/benchmarks.md.
"""

import argparse
import asyncio
import datetime as dt
import os
from pathlib import Path

from bench.run import PEERS, QUICK, SCENARIOS, SMOKE, Bench, Sizes, log, write_results

DEFAULT_DB = "mysql://root@127.0.0.1:3306/planpal_bench"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the scenarios")
    size = run.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller sizes (about 3 minutes)")
    size.add_argument("--smoke", action="store_true", help="20 connections, seconds (a self-test)")
    run.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    run.add_argument("--peers", default=",".join(PEERS), help="comma-separated peers")
    run.add_argument("--out", type=Path, default=None, help="result folder")
    run.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
        help="bench database (created and migrated if missing); BENCH_DATABASE_URL",
    )
    run.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="BENCH_REDIS_URL; bench keys are prefixed and removed afterwards",
    )
    run.add_argument(
        "--profile",
        default="",
        help="comma-separated peers whose servers py-spy records (collapsed stacks in logs/)",
    )
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else QUICK if args.quick else Sizes()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or Path(__file__).resolve().parent / "results" / stamp
    out.mkdir(parents=True, exist_ok=True)
    scenarios = [s for s in args.only.split(",") if s]
    peers = [p for p in args.peers.split(",") if p]
    unknown = (set(scenarios) - set(SCENARIOS)) | (set(peers) - set(PEERS))
    if unknown:
        parser.error(f"unknown scenario or peer: {', '.join(sorted(unknown))}")
    profile = [p for p in args.profile.split(",") if p]
    bench = Bench(sizes, out, peers, scenarios, args.database_url, args.redis_url, profile)
    results = asyncio.run(bench.run())
    write_results(results, out)
    from bench.report import report

    summary = report(results, out)
    print(summary)
    log(f"results in {out} ({results['meta']['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
