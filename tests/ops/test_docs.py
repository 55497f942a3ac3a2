"""The metric list in docs/operations.md, the Grafana dashboard and the alert rules name only
metrics PlanPal exports, and the docs list every one of them."""

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

from planpal.core import metrics

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bplanpal_[a-z_]+[a-z]")
SUFFIXES = ("_bucket", "_count", "_sum", "_created")


def exported() -> set[str]:
    names = {"planpal_outbox_backlog", "planpal_outbox_oldest_unpublished_age_seconds"}
    for collector in list(REGISTRY._collector_to_names):
        for family in collector.describe() if hasattr(collector, "describe") else []:
            if family.name.startswith("planpal_"):
                names.add(family.name + ("_total" if family.type == "counter" else ""))
    return names


def base(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def test_every_named_metric_exists_and_every_metric_is_documented():
    assert metrics.http_requests  # the module registered its metrics
    known = exported()
    docs = (ROOT / "docs" / "operations.md").read_text()
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    alerts = (ROOT / "deploy" / "alerts.yml").read_text()
    named = {
        "docs": {base(n) for n in NAME.findall(docs)},
        "dashboard": {base(n) for n in NAME.findall(json.dumps(dashboard))},
        "alerts": {base(n) for n in NAME.findall(alerts)},
    }
    for where, names in named.items():
        assert names <= known, (where, names - known)
    assert known <= named["docs"], known - named["docs"]
    assert dashboard["panels"] and "groups" in alerts
