"""Summary table (markdown) and plots (PNG) of a bench run's results.json.

`python -m bench.report bench/results/<run>` redraws them from a saved run.
"""

import json
import sys
from pathlib import Path

PEERS = ("planpal", "raw", "naive")
COLOURS = {"planpal": "tab:blue", "raw": "tab:green", "naive": "tab:red"}
TARGET_MS = 250
TIMES = "\u00d7"  # multiplication sign


def _get(d, *keys):
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _ratio(a, b, at_least: bool = False) -> str:
    if a is None or b is None:
        return "—"
    if b == 0:
        return "∞" if a > 0 else "—"
    return f"{'≥ ' if at_least else ''}{a / b:.2f}{TIMES}"


def _fmt(value, unit="", digits=0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = round(value, digits) if digits else round(value)
    return f"{value:,}{unit}" if not isinstance(value, str) else value


def _topped(rungs: list, results: dict, size: str) -> bool:
    """Did the peer pass the highest rate of its ladder?"""
    sizes = _get(results, "meta", "sizes") or {}
    ladder = sizes.get("rates") if size in {str(n) for n in sizes.get("fanout", [])} else None
    ladder = ladder or sizes.get("multi_rates") or []
    return bool(rungs and ladder and rungs[-1]["passed"] and rungs[-1]["rate"] == max(ladder))


def rows(results: dict) -> list[list[str]]:
    """scenario, figure, PlanPal, raw, naive, PlanPal/raw, PlanPal/naive, target."""
    s = results.get("scenarios", {})
    out = []

    def ladder(name, data, label, key):
        best = {p: _get(data, p, key, "best") for p in PEERS}
        value = {p: (best[p] or {}).get("deliveries_per_s") for p in PEERS}
        for p in PEERS:
            if _get(data, p, key) is not None and best[p] is None:
                value[p] = 0.0  # no rung met the target
        # A peer that met the target on the ladder's last rung was not pushed to its limit.
        topped = {p: _topped(_get(data, p, key, "rungs") or [], results, key) for p in PEERS}
        out.append(
            [
                name,
                f"deliveries/s at p99 ≤ {TARGET_MS} ms ({label})",
                *(("≥ " if topped[p] else "") + _fmt(value[p], "/s") for p in PEERS),
                _ratio(value["planpal"], value["raw"], topped["planpal"] and not topped["raw"]),
                _ratio(value["planpal"], value["naive"], topped["planpal"]),
                f"≥ 0.8{TIMES} raw, ≥ 10{TIMES} naive",
            ]
        )
        at = {
            p: (
                f"{best[p]['rate']} ev/s: {best[p]['p50_ms']:.0f} / {best[p]['p99_ms']:.0f} ms"
                if best[p]
                else "—"
            )
            for p in PEERS
        }
        out.append([name, "best rung: p50 / p99", *(at[p] for p in PEERS), "", "", ""])
        lost = {
            p: sum(r["lost"] for r in _get(data, p, key, "rungs") or [])
            if _get(data, p, key)
            else None
            for p in PEERS
        }
        out.append([name, "events lost (all rungs)", *(_fmt(lost[p]) for p in PEERS), "", "", "0"])

    fan = s.get("fanout", {})
    for size in sorted({k for p in PEERS for k in (fan.get(p) or {})}, key=int):
        ladder(f"fan-out {int(size):,}", fan, f"{int(size):,} subscribers, 1 topic", size)
    multi = s.get("multiprocess", {})
    for size in sorted({k for p in PEERS for k in (multi.get(p) or {})}, key=int):
        procs = _get(results, "meta", "sizes", "multi_procs")
        ladder(f"{procs} processes", multi, f"{int(size):,} subscribers", size)

    topics = s.get("topics", {})
    if topics:
        idle = {p: _get(topics, p, "idle") or {} for p in PEERS}
        rss = {p: idle[p].get("rss_per_conn_kb") for p in PEERS}
        conns = next((idle[p].get("connections") for p in PEERS if idle[p]), None)
        out.append(
            [
                "idle capacity",
                f"RSS per connection ({_fmt(conns)} held in 1 process)",
                *(_fmt(rss[p], " KB", 1) for p in PEERS),
                _ratio(rss["planpal"], rss["raw"]),
                _ratio(rss["planpal"], rss["naive"]),
                "≤ 30 KB",
            ]
        )
        rate = {p: idle[p].get("connect_per_s") for p in PEERS}
        out.append(
            [
                "idle capacity",
                "connections opened per second (auth + 1 subscribe)",
                *(_fmt(rate[p], "/s") for p in PEERS),
                _ratio(rate["planpal"], rate["raw"]),
                _ratio(rate["planpal"], rate["naive"]),
                "",
            ]
        )
        traffic = {p: _get(topics, p, "traffic") or {} for p in PEERS}
        tr = next((traffic[p] for p in PEERS if traffic[p]), {})
        plans = _get(results, "meta", "sizes", "topics_plans")
        label = f"{tr.get('rate', '?')} ev/s over {plans} topics"
        out.append(
            [
                "many topics",
                f"p50 / p99 latency ({label})",
                *(
                    f"{_fmt(traffic[p].get('p50_ms'))} / {_fmt(traffic[p].get('p99_ms'))} ms"
                    if traffic[p]
                    else "—"
                    for p in PEERS
                ),
                _ratio(traffic["planpal"].get("p99_ms"), traffic["raw"].get("p99_ms")),
                _ratio(traffic["planpal"].get("p99_ms"), traffic["naive"].get("p99_ms")),
                f"p99 ≤ {TARGET_MS} ms",
            ]
        )
        out.append(
            [
                "many topics",
                "server CPU",
                *(_fmt(traffic[p].get("cpu_percent"), "%") for p in PEERS),
                _ratio(traffic["planpal"].get("cpu_percent"), traffic["raw"].get("cpu_percent")),
                _ratio(traffic["planpal"].get("cpu_percent"), traffic["naive"].get("cpu_percent")),
                "",
            ]
        )
        storm = {p: _get(topics, p, "storm") or {} for p in PEERS}
        n = next((storm[p].get("clients") for p in PEERS if storm[p]), None)
        caught = {p: storm[p].get("all_caught_up_s") for p in PEERS}
        out.append(
            [
                "reconnect storm",
                f"all {_fmt(n)} caught up after",
                *(_fmt(caught[p], " s", 1) for p in PEERS),
                _ratio(caught["planpal"], caught["raw"]),
                _ratio(caught["planpal"], caught["naive"]),
                "≤ 15 s",
            ]
        )
        lost = {
            p: (topics[p].get("traffic", {}).get("lost", 0) + storm[p].get("lost", 0))
            if storm[p]
            else None
            for p in PEERS
        }
        out.append(
            ["many topics + storm", "events lost", *(_fmt(lost[p]) for p in PEERS), "", "", "0"]
        )
    out += read_rows(s.get("reads") or {})
    out += write_rows(s.get("writes") or {})
    out += idle_rows(s.get("idle") or {})
    return out


def write_rows(writes: dict) -> list[list[str]]:
    """REST writes (bench/writes.py): PlanPal's request → every delivery beside the raw floor's
    fan-out (commit → receive) at the same number of subscribers and rate."""
    out = []
    ours = writes.get("planpal") or {}
    write_p50 = {}
    for members in sorted(ours, key=int):
        name = f"REST writes, {int(members):,} members"
        floor_rungs = _get(writes, "raw", members, "rungs") or []
        for index, rung in enumerate(ours[members].get("rungs") or []):
            floor = floor_rungs[index] if index < len(floor_rungs) else {}
            subs = _fmt(ours[members]["connect"]["connected"])
            out.append(
                [
                    name,
                    f"{rung['rate']} writes/s, {subs} subscribers: request → every delivery "
                    "p50 / p99 (raw: fan-out, commit → receive)",
                    f"{_fmt(rung['p50_ms'])} / {_fmt(rung['p99_ms'])} ms",
                    f"{_fmt(floor.get('p50_ms'))} / {_fmt(floor.get('p99_ms'))} ms"
                    if floor
                    else "—",
                    "—",
                    _ratio(rung["p99_ms"], floor.get("p99_ms")),
                    "",
                    f"p99 ≤ 2{TIMES} raw",
                ]
            )
            out.append(
                [
                    name,
                    f"{rung['rate']} writes/s: write server time p50 / p99; events lost; "
                    "CPU of the web process / the worker",
                    f"{rung['write_ms_p50']:.0f} / {rung['write_ms_p99']:.0f} ms; "
                    f"{_fmt(rung['lost'])} lost; {_cpu(rung)}",
                    f"{_fmt(floor.get('lost'))} lost" if floor else "—",
                    "—",
                    "",
                    "",
                    "0 lost",
                ]
            )
            write_p50[(int(members), rung["rate"])] = rung["write_ms_p50"]
    sizes = sorted({m for m, _ in write_p50})
    for rate in sorted({r for _, r in write_p50}):
        small, large = write_p50.get((sizes[0], rate)), write_p50.get((sizes[-1], rate))
        if len(sizes) > 1 and small and large:
            out.append(
                [
                    "REST writes",
                    f"write server time p50 at {sizes[-1]} members / at {sizes[0]} ({rate}/s)",
                    _ratio(large, small),
                    "",
                    "",
                    "",
                    "",
                    f"≤ 1.3{TIMES}",
                ]
            )
    return out


def _cpu(rung: dict) -> str:
    """The web process's and the Celery worker's CPU during a writes rung (older results: —)."""
    if "cpu_percent" not in rung:
        return "CPU —"
    return f"{rung['cpu_percent']:.0f} % / {rung.get('worker_cpu_percent', 0):.0f} %"


def idle_rows(idle: dict) -> list[list[str]]:
    """Idle connections over several processes (bench/idle.py); PlanPal and the raw floor."""
    ours, raw = _get(idle, "planpal") or {}, _get(idle, "raw") or {}
    if "connected" not in ours and "connected" not in raw:
        return []
    n = ours.get("connections") or raw.get("connections")
    procs = ours.get("server_procs") or raw.get("server_procs")
    name = f"{_fmt(n)} idle"
    held = {p: d.get("connected") for p, d in (("planpal", ours), ("raw", raw))}
    event = {p: d.get("event") or {} for p, d in (("planpal", ours), ("raw", raw))}
    p99 = {p: event[p].get("p99_ms") for p in event}
    return [
        [
            name,
            f"connections held ({procs} server processes)",
            _fmt(held["planpal"]),
            _fmt(held["raw"]),
            "—",
            "",
            "",
            _fmt(n),
        ],
        [
            name,
            "connections opened per second",
            _fmt(ours.get("connect_per_s"), "/s"),
            _fmt(raw.get("connect_per_s"), "/s"),
            "—",
            _ratio(ours.get("connect_per_s"), raw.get("connect_per_s")),
            "",
            "",
        ],
        [
            name,
            "RSS per connection",
            _fmt(ours.get("rss_per_conn_kb"), " KB", 1),
            _fmt(raw.get("rss_per_conn_kb"), " KB", 1),
            "—",
            _ratio(ours.get("rss_per_conn_kb"), raw.get("rss_per_conn_kb")),
            "",
            "",
        ],
        [
            name,
            "one event to every connection: p50 / p99 (3 events)",
            *(
                f"{_fmt(event[p].get('p50_ms'))} / {_fmt(p99[p])} ms" if event[p] else "—"
                for p in ("planpal", "raw")
            ),
            "—",
            _ratio(p99["planpal"], p99["raw"]),
            "",
            "p99 ≤ 2 s",
        ],
        [
            name,
            "closed while held (code: count, None: no close frame); reconnected with since",
            *(_closed(d) for d in (ours, raw)),
            "—",
            "",
            "",
            "0",
        ],
        [
            name,
            "events lost (after the closed ones reconnected with since)",
            *(_fmt(event[p].get("lost")) for p in ("planpal", "raw")),
            "—",
            "",
            "",
            "0",
        ],
    ]


def _closed(peer: dict) -> str:
    held = {
        k.split(":", 1)[1]: v for k, v in (peer.get("closed_while_held") or {}).items() if ":" in k
    }
    rejoin = (peer.get("event") or {}).get("rejoin") or {}
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(held.items())) or "none"
    replaced = peer.get("server_procs_replaced")
    died = f" ({replaced} server processes replaced)" if replaced else ""
    return f"{codes}{died}; {_fmt(rejoin.get('reconnected', 0))}" if peer else "—"


READS = {"live": "health/live", "me": "me", "plans": "plan list", "plan": "plan detail"}


def read_rows(reads: dict) -> list[list[str]]:
    """REST reads: PlanPal in the PlanPal column, the REST floor (bare Django + DRF) in the
    floor column; the naive peer has no REST side."""
    out = []
    for name, label in READS.items():
        ours, floor = _get(reads, "planpal", name), _get(reads, "floor", name)
        if not ours or not floor:
            continue

        def ms(d):
            return f"{d['p50_ms']:.1f} / {d['p99_ms']:.1f} ms"

        out.append(
            [
                "REST reads",
                f"GET {label}: p50 / p99 (floor: bare Django + DRF)",
                ms(ours),
                ms(floor),
                "—",
                _ratio(ours["p50_ms"], floor["p50_ms"]),
                "",
                f"p50 ≤ 1.5{TIMES} floor" if name != "live" else "",
            ]
        )
        out.append(
            [
                "REST reads",
                f"GET {label}: new DB connections per 1,000 requests",
                _fmt(ours["db_connections_per_1000"]),
                _fmt(floor["db_connections_per_1000"]),
                "—",
                "",
                "",
                "≤ 50",
            ]
        )
    return out


def table(results: dict) -> str:
    header = [
        "scenario",
        "figure",
        "PlanPal",
        "raw floor",
        "naive",
        "PlanPal/raw",
        "PlanPal/naive",
        "target",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(results)]
    return "\n".join(lines)


def machine(results: dict) -> str:
    m = results.get("meta", {})
    load = ", ".join(f"{x:.1f}" for x in m.get("load_avg_at_start", []))
    return (
        f"{m.get('date')} · git {m.get('git')} · {m.get('cpus')} {TIMES} {m.get('cpu_model')} · "
        f"{m.get('memory_gb')} GB · Python {m.get('python')} · {m.get('database')} · "
        f"load average at start {load} · run took {m.get('seconds', 0):.0f} s"
    )


# ---------------------------------------------------------------------------- plots
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_ladders(results: dict, scenario: str, path: Path) -> bool:
    data = results.get("scenarios", {}).get(scenario) or {}
    sizes = sorted({k for p in PEERS for k in (data.get(p) or {}) if k.isdigit()}, key=int)
    if not sizes:
        return False
    plt = _plt()
    from matplotlib.ticker import NullFormatter

    fig, axes = plt.subplots(2, len(sizes), figsize=(5.5 * len(sizes), 7.5), squeeze=False)
    for col, size in enumerate(sizes):
        top, bottom = axes[0][col], axes[1][col]
        for peer in PEERS:
            rungs = _get(data, peer, size, "rungs") or []
            if not rungs:
                continue
            x = [r["rate"] for r in rungs]
            top.plot(
                x,
                [max(r["p99_ms"] or 1, 1) for r in rungs],
                "o-",
                color=COLOURS[peer],
                label=f"{peer} p99",
            )
            top.plot(
                x,
                [max(r["p50_ms"] or 1, 1) for r in rungs],
                "o:",
                color=COLOURS[peer],
                alpha=0.6,
                label=f"{peer} p50",
            )
            bottom.plot(
                x, [r["deliveries_per_s"] for r in rungs], "o-", color=COLOURS[peer], label=peer
            )
        rates = sorted({r["rate"] for p in PEERS for r in _get(data, p, size, "rungs") or []})
        bottom.plot(rates, [r * int(size) for r in rates], "k--", lw=0.8, label="offered")
        top.axhline(TARGET_MS, color="grey", ls="--", lw=0.8)
        top.set_yscale("log")
        for ax in (top, bottom):
            ax.set_xscale("log")
            ax.set_xticks(rates, [str(r) for r in rates])
            ax.xaxis.set_minor_formatter(NullFormatter())
        top.set_title(f"{int(size):,} subscribers on one topic")
        top.set_ylabel("commit → receive latency (ms)")
        bottom.set_ylabel("deliveries / s")
        bottom.set_xlabel("events / s written through the outbox")
        top.legend(fontsize=7)
        bottom.legend(fontsize=7)
        top.grid(alpha=0.3, which="both")
        bottom.grid(alpha=0.3, which="both")
    fig.suptitle(
        f"{scenario}: each peer climbs the rate ladder until p99 > {TARGET_MS} ms or a loss"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def plot_topics(results: dict, path: Path) -> bool:
    data = results.get("scenarios", {}).get("topics") or {}
    peers = [p for p in PEERS if _get(data, p, "idle")]
    if not peers:
        return False
    plt = _plt()
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    panels = [
        ("RSS per idle connection (KB)", lambda p: _get(data, p, "idle", "rss_per_conn_kb"), 30),
        ("connections opened / s", lambda p: _get(data, p, "idle", "connect_per_s"), None),
        ("many topics: p99 latency (ms)", lambda p: _get(data, p, "traffic", "p99_ms"), TARGET_MS),
        ("storm: all caught up after (s)", lambda p: _get(data, p, "storm", "all_caught_up_s"), 15),
    ]
    for ax, (title, value, target) in zip(axes, panels, strict=True):
        values = [value(p) or 0 for p in peers]
        ax.bar(peers, values, color=[COLOURS[p] for p in peers])
        for i, v in enumerate(values):
            ax.text(i, v, f"{v:,.1f}", ha="center", va="bottom", fontsize=8)
        if target:
            ax.axhline(target, color="grey", ls="--", lw=0.8)
        ax.set_title(title, fontsize=10)
    conns = _get(data, peers[0], "idle", "connections")
    fig.suptitle(
        f"{conns:,} connections in one process, each on its user topic and one of many plans"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def plot_storm(results: dict, path: Path) -> bool:
    data = results.get("scenarios", {}).get("topics") or {}
    peers = [p for p in PEERS if _get(data, p, "storm", "caught_up_times")]
    if not peers:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    for peer in peers:
        times = _get(data, peer, "storm", "caught_up_times")
        n = len(times)
        ax.plot(times, [(i + 1) / n for i in range(n)], color=COLOURS[peer], label=peer)
    ax.axvline(15, color="grey", ls="--", lw=0.8)
    clients = _get(data, peers[0], "storm", "clients")
    ax.set_title(f"reconnect storm: {clients:,} clients drop, come back with `since`")
    ax.set_xlabel("seconds after the reconnect began")
    ax.set_ylabel("share of clients caught up")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def report(results: dict, out: Path) -> str:
    plots = []
    if plot_ladders(results, "fanout", out / "fanout.png"):
        plots.append("fanout.png")
    if plot_ladders(results, "multiprocess", out / "multiprocess.png"):
        plots.append("multiprocess.png")
    if plot_topics(results, out / "topics.png"):
        plots.append("topics.png")
    if plot_storm(results, out / "storm.png"):
        plots.append("storm.png")
    text = f"# Bench run\n\n{machine(results)}\n\n{table(results)}\n\n" + "".join(
        f"![{p}]({p})\n" for p in plots
    )
    (out / "summary.md").write_text(text)
    return text


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    print(report(json.loads((folder / "results.json").read_text()), folder))
