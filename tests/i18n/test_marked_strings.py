"""Every text PlanPal writes for people goes through gettext: an error message (and the messages
of its `fields`), a notice's title and body. A plain literal or f-string in those places would
reach Vietnamese readers in English, so it fails here (docs/i18n.md)."""

import ast
import re
from pathlib import Path

PLANPAL = Path(__file__).resolve().parents[2] / "planpal"
# Apps whose texts are not marked yet (money landed during issue 16; its strings come next).
NOT_YET: set[str] = set()
# Calls whose message arguments people read.
MESSAGE_CALLS = {
    "DomainError",
    "InvalidInput",
    "NotFound",
    "Forbidden",
    "Conflict",
    "VersionConflict",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "ValidationError",
    "Notice",
    "_plan_notice",
    "_notify_members",
    "_notice",
    "_disabled_notice",
    "endpoints_orphan",
    "UnsafeUrl",
    "LastOwner",
    "Throttled",
}
# Calls whose first argument is a field name and second the message.
FIELD_MESSAGE_CALLS = {"_fail", "fail"}
# Calls whose message (and fields) come after other arguments: which ones are texts.
TEXT_ARGUMENTS = {"Refusal": slice(2, 4), "error_body": slice(1, 3)}  # SSE refusals, the 413
MESSAGE_KEYWORDS = {"message", "fields", "title", "body", "detail", "why", "action"}
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "format_lazy", "pgettext"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _bare_texts(node: ast.AST) -> list[ast.AST]:
    """String literals and f-strings under `node` that no gettext call wraps (dict keys are field
    names, not texts)."""
    if isinstance(node, ast.Call) and _name(node.func) in GETTEXT:
        return []
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        # "{plan}" or "{sender}: {says}" hold no words: nothing to translate.
        return [node] if re.search(r"[^\W\d_]", re.sub(r"\{\w*\}", "", node.value)) else []
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in _bare_texts(value)]
    if isinstance(node, ast.IfExp):  # the condition is no text
        return _bare_texts(node.body) + _bare_texts(node.orelse)
    if isinstance(node, ast.DictComp):
        return _bare_texts(node.value)
    if isinstance(node, ast.Call):  # e.g. ", ".join(...): look at the arguments only
        return [text for arg in node.args for text in _bare_texts(arg)]
    return [text for child in ast.iter_child_nodes(node) for text in _bare_texts(child)]


def bare_messages() -> list[str]:
    found = []
    for path in sorted(PLANPAL.rglob("*.py")):
        if "migrations" in path.parts or NOT_YET & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name in FIELD_MESSAGE_CALLS:
                arguments = node.args[1:2]
            elif name in TEXT_ARGUMENTS:
                arguments = node.args[TEXT_ARGUMENTS[name]]
            elif name in MESSAGE_CALLS:
                arguments = node.args[:1]
            else:
                continue
            arguments += [
                keyword.value for keyword in node.keywords if keyword.arg in MESSAGE_KEYWORDS
            ]
            for argument in arguments:
                for text in _bare_texts(argument):
                    found.append(f"{path.relative_to(PLANPAL.parent)}:{text.lineno}")
    return found


def test_every_error_message_and_notice_text_is_marked_for_translation():
    assert bare_messages() == []
