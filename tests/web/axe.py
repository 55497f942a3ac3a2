"""axe-core (npm, pinned in package-lock.json, installed by `npm ci`) run inside a page: the
browser tests fail on serious or critical accessibility violations. The engine is read from
node_modules and evaluated through the DevTools protocol, so no script is fetched from a CDN or
injected as an inline <script> the page's Content-Security-Policy would refuse."""

from functools import cache
from pathlib import Path

AXE = Path(__file__).parents[2] / "node_modules/axe-core/axe.min.js"


@cache
def _source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (make test does)")
    return AXE.read_text()


def violations(page) -> list[dict]:
    """Serious and critical violations of WCAG 2.x A/AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: "tag",
                      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            resultTypes: ["violations"],
          });
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page, screen: str) -> None:
    found = violations(page)
    assert found == [], f"axe on {screen}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in found
    )
