"""`python -m bench.compare RUN RUN RUN`: several runs' ratios side by side, with the median and
the worst of each (docs/benchmarks.md's results table), then each run's figures and machine.

A ratio's worst is its lowest for throughputs (deliveries/s, connects/s) and its highest for
everything else (latency, time, memory, CPU), so "worst" always means "furthest from the target".
"""

import json
import re
import statistics
import sys
from pathlib import Path

from bench.report import TIMES, machine, rows

# The idle-capacity row names how many connections the peer held, which differs between runs
# when PlanPal sheds connects; the rows are the same figure.
_HELD = re.compile(r"\([0-9,]+ held in 1 process\)")
_RATIO = re.compile(r"([0-9][0-9,]*\.?[0-9]*)" + TIMES)


def _key(row: list[str]) -> tuple[str, str]:
    return row[0], _HELD.sub("(1 process)", row[1])


def ratio(text: str) -> float | None:
    if "∞" in text:
        return float("inf")
    match = _RATIO.search(text)
    return float(match.group(1).replace(",", "")) if match else None


def higher_is_better(figure: str) -> bool:
    return "deliveries/s" in figure or "opened per second" in figure


def _is_own_ratio(figure: str) -> bool:
    """Rows whose PlanPal column is itself a ratio (200 members / 2), not a figure."""
    return figure.startswith("write server time p50 at")


def tables(results: list[dict]) -> tuple[list[list[str]], list[list[str]]]:
    """(ratio rows, figure rows): scenario, figure, one cell per run, [median, worst, target]."""
    per_run = [{_key(row): row for row in rows(result)} for result in results]
    keys = list(dict.fromkeys(key for run in per_run for key in run))
    ratios, figures = [], []
    for key in keys:
        found = [run.get(key) for run in per_run]
        own = _is_own_ratio(key[1])
        cells = [(row[2] if own else row[5]) if row else "—" for row in found]
        if not own:
            figures.append([*key, *(_figures(row) for row in found)])
        values = [v for v in (ratio(cell) for cell in cells) if v is not None]
        if not values:
            continue
        worst = min(values) if higher_is_better(key[1]) else max(values)
        target = next((row[7] for row in found if row), "")
        ratios.append(
            [*key, *cells, f"{statistics.median(values):.2f}{TIMES}", f"{worst:.2f}{TIMES}", target]
        )
    return ratios, figures


def _figures(row: list[str] | None) -> str:
    """PlanPal · raw floor (· naive where it ran)."""
    if row is None:
        return "—"
    naive = f" · {row[4]}" if row[4] not in ("—", "") else ""
    return f"{row[2]} · {row[3]}{naive}"


def _markdown(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def report(results: list[dict]) -> str:
    ratios, figures = tables(results)
    runs = [f"run {i}" for i in range(1, len(results) + 1)]
    return "\n\n".join(
        [
            _markdown(["scenario", "figure", *runs, "median", "worst", "target"], ratios),
            _markdown(["scenario", "figure", *(f"{r}: PlanPal · raw" for r in runs)], figures),
            "\n".join(
                f"- {r}: `{machine(result)}`" for r, result in zip(runs, results, strict=True)
            ),
        ]
    )


def main() -> None:
    results = [json.loads((Path(run) / "results.json").read_text()) for run in sys.argv[1:]]
    print(report(results))


if __name__ == "__main__":
    main()
