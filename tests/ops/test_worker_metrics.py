"""`planpal worker --metrics-port` serves task outcomes counted in its (prefork) children."""

import os
import time

import httpx
import pytest

from planpal.ops.tasks import housekeeping
from tests.live import CeleryProcess, free_port
from tests.ops.conftest import total
from tests.realtime.conftest import require_redis


@pytest.mark.django_db(transaction=True)
def test_a_worker_serves_its_task_metrics():
    require_redis()
    from prometheus_client.parser import text_string_to_metric_families

    port, queue = free_port(), f"test-metrics-{os.getpid()}"
    worker = CeleryProcess(
        "worker", "--queues", queue, "--concurrency", "1", "--metrics-port", str(port)
    )
    try:
        housekeeping.apply_async(queue=queue)
        deadline = time.monotonic() + 40
        done = 0.0
        while done < 1:
            assert time.monotonic() < deadline, "the worker never reported the task"
            time.sleep(0.5)
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
            except httpx.HTTPError:
                continue
            values = {
                (s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(text)
                for s in family.samples
            }
            done = total(values, "planpal_tasks_total", task=housekeeping.name, outcome="success")
        assert total(values, "planpal_task_duration_seconds_count", task=housekeeping.name) >= 1
    finally:
        worker.stop()
