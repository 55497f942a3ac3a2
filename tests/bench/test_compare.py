"""bench.compare: the median and the worst of each ratio over runs, "worst" furthest from the
target in the figure's own direction."""

from bench.compare import ratio, report, tables
from bench.report import TIMES


def run(connects: float, rss_kb: float, held: int) -> dict:
    idle = {"connections": held, "connect_per_s": connects, "rss_per_conn_kb": rss_kb}
    floor = {"connections": 10000, "connect_per_s": 2000.0, "rss_per_conn_kb": 16.0}
    return {
        "meta": {"date": "d", "git": "g", "cpus": 2, "cpu_model": "cpu", "load_avg_at_start": []},
        "scenarios": {"topics": {"planpal": {"idle": idle}, "raw": {"idle": floor}}},
    }


def test_worst_is_the_lowest_throughput_and_the_highest_cost():
    runs = [run(600, 32.0, 8300), run(400, 28.0, 8800), run(1000, 30.0, 10000)]
    ratios, figures = tables(runs)
    by_figure = {row[1]: row[2:] for row in ratios}
    connects = by_figure["connections opened per second (auth + 1 subscribe)"]
    # runs 0.30, 0.20, 0.50; median 0.30; worst the lowest
    assert [ratio(cell) for cell in connects[:5]] == [0.3, 0.2, 0.5, 0.3, 0.2]
    # One row per figure although each run held a different number of connections.
    rss = by_figure["RSS per connection (1 process)"]
    # runs 2.00, 1.75, 1.88; median 1.88; worst the highest
    assert [ratio(cell) for cell in rss[:5]] == [2.0, 1.75, 1.88, 1.88, 2.0]
    assert rss[5] == "≤ 30 KB"
    assert figures[0] == [
        "idle capacity", "RSS per connection (1 process)",
        "32.0 KB · 16.0 KB", "28.0 KB · 16.0 KB", "30.0 KB · 16.0 KB",
    ]  # fmt: skip
    assert f"- run 3: `d · git g · 2 {TIMES} cpu" in report(runs)
