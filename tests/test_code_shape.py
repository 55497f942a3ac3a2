"""The size limits of docs/conventions.md hold for every production module of planpal/ and
config/ (migrations are generated, not read): a module that grows past them is split into a
package the way plans/services/ was, a function into steps. The web client's limits are ESLint's
(eslint.config.js: max-lines, max-lines-per-function)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def production_modules() -> list[Path]:
    found = [
        path
        for folder in ("planpal", "config")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]
    assert len(found) > 100, "the walk found the code"
    return found


def test_no_production_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in production_modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_no_production_function_is_over_60_lines():
    too_long = {}
    for path in production_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long[f"{path.relative_to(ROOT)}::{node.name}"] = lines
    assert too_long == {}
