"""The benchmark's command runs end to end (a self-test, not a measurement: no timing asserts).

`python -m bench run --smoke` with 20 connections per peer for a couple of seconds, against the
test database and Redis; the real figures come from `python -m bench run` (docs/benchmarks.md).
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests import live
from tests.realtime.conftest import require_redis

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_bench_smoke_run_writes_results(tmp_path):
    require_redis()
    out = tmp_path / "run"
    result = subprocess.run(
        [
            sys.executable, "-m", "bench", "run", "--smoke", "--only", "fanout,reads,writes,idle",
            "--peers", "planpal,raw", "--out", str(out),
            "--database-url", live.test_database_url(), "--redis-url", settings.REDIS_URL,
        ],
        cwd=live.ROOT, env=live.child_env(), capture_output=True, text=True, timeout=360,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    fanout = results["scenarios"]["fanout"]
    for peer in ("planpal", "raw"):
        rungs = fanout[peer]["20"]["rungs"]
        assert rungs and rungs[0]["deliveries"] > 0, fanout[peer]
        assert rungs[0]["lost"] == 0
    reads = results["scenarios"]["reads"]
    for peer in ("planpal", "floor"):  # the REST floor: bare Django + DRF (bench/floor)
        for path in ("live", "me", "plans", "plan"):
            assert reads[peer][path]["requests"] == 40, reads[peer]
    writes = results["scenarios"]["writes"]["planpal"]["2"]["rungs"][0]  # REST writes, 2 members
    assert writes["writes"] > 0 and writes["paired_events"] == writes["writes"], writes
    assert writes["deliveries"] > 0 and writes["lost"] == 0
    # The raw floor's fan-out beside it: its listener used to die on PlanPal's non-event bus
    # messages, and it delivered nothing.
    floor = results["scenarios"]["writes"]["raw"]["2"]["rungs"][0]
    assert floor["deliveries"] > 0 and floor["lost"] == 0, floor
    idle = results["scenarios"]["idle"]  # clients bound to 127.0.0.2-5, 2 server processes
    for peer in ("planpal", "raw"):
        assert idle[peer]["connected"] == 40 and idle[peer]["server_procs"] >= 2, idle[peer]
        assert idle[peer]["event"]["deliveries"] == 3 * 40 and idle[peer]["event"]["lost"] == 0
        assert idle[peer]["event"]["rejoin"]["closed"] == 0, idle[peer]  # none to reconnect
    assert (out / "summary.md").read_text().startswith("# Bench run")
    assert (out / "fanout.png").stat().st_size > 0
