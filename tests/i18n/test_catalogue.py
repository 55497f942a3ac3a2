"""The Vietnamese catalogue (planpal/locale/vi) is complete and compiled: every string marked in
planpal/ is in it with a real translation (not empty, not fuzzy), it holds nothing that is no
longer marked, its placeholders match, and the committed .mo is the compiled .po. Needs GNU
gettext (Debian's `gettext`: xgettext, msgfmt). How to update: docs/i18n.md."""

import ast
import gettext
import string
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "planpal" / "locale" / "vi" / "LC_MESSAGES"
# The keywords Django's makemessages gives xgettext for Python files.
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def read_po(text: str) -> list[dict]:
    """The entries of a .po text: msgid, msgid_plural, msgstr (list), flags."""
    entries: list[dict] = []
    entry: dict | None = None
    key = ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": [], "flags": []}
        if line.startswith("#,"):
            entry["flags"] = [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        else:
            word, _, value = line.partition(" ") if not line.startswith('"') else ("", "", line)
            if word:
                key = word
                if key.startswith("msgstr"):
                    entry["msgstr"].append("")
                elif key == "msgid_plural":
                    entry["msgid_plural"] = ""
            text_part = ast.literal_eval(value)
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += text_part
            else:
                entry[key] += text_part
    return [entry for entry in entries if entry["msgid"]]  # not the header


def marked_in_source(tmp_path: Path) -> dict[str, dict]:
    sources = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "planpal").rglob("*.py")
        if "migrations" not in path.parts
    )
    pot = tmp_path / "django.pot"
    subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", *KEYWORDS, "-o", str(pot), *sources],
        cwd=ROOT,
        check=True,
    )
    return {entry["msgid"]: entry for entry in read_po(pot.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, dict]:
    entries = read_po((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    return {entry["msgid"]: entry for entry in entries}


def test_every_marked_string_is_in_the_catalogue_and_nothing_else(catalogue, tmp_path):
    marked = marked_in_source(tmp_path)
    assert sorted(set(marked) - set(catalogue)) == [], "run makemessages (docs/i18n.md)"
    assert sorted(set(catalogue) - set(marked)) == [], "obsolete: makemessages --no-obsolete"
    for msgid, entry in marked.items():
        assert entry["msgid_plural"] == catalogue[msgid]["msgid_plural"], msgid


def test_every_string_has_a_vietnamese_translation(catalogue):
    untranslated = [
        msgid
        for msgid, entry in catalogue.items()
        if "fuzzy" in entry["flags"] or not entry["msgstr"] or not all(entry["msgstr"])
    ]
    assert untranslated == []


def test_the_translations_keep_the_placeholders_and_the_mo_is_the_compiled_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True
    )
    with compiled.open("rb") as fresh, (CATALOGUE / "django.mo").open("rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        assert gettext.GNUTranslations(committed)._catalog == expected, "run compilemessages"


def test_brace_placeholders_are_the_same_in_both_languages(catalogue):
    """msgfmt checks %-placeholders; format_lazy's {name} ones are checked here."""

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    wrong = [
        msgid
        for msgid, entry in catalogue.items()
        if "python-brace-format" in entry["flags"]
        and any(names(msgstr) != names(msgid) for msgstr in entry["msgstr"])
    ]
    assert wrong == []
