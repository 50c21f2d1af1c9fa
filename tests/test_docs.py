"""Rule documentation: every docstring has the sections, and docs/rules/ is up to date."""

from __future__ import annotations

import json

import pytest

from linter.docs import DEFAULT_DIR, SECTIONS, pages, sections
from linter.rules import all_rules
from test_cli import invoke


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_docstring_has_every_section_in_order(rule) -> None:
    found = sections(rule)
    assert list(found) == list(SECTIONS), f"{rule.code}: sections {list(found)}, want {list(SECTIONS)}"
    for name, text in found.items():
        assert text.strip(), f"{rule.code}: section {name!r} is empty"
    assert "CWE-" in found["References"] or rule.code == "AIL000" or "OWASP" in found["References"]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_explain_renders_the_documentation(rule) -> None:
    output = invoke("explain", rule.code).output
    for name in SECTIONS:
        assert f"{name}:" in output


def test_docs_rules_directory_is_generated_from_the_rules() -> None:
    """Regenerate with `python -m linter.docs` when this fails."""
    expected = pages()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in DEFAULT_DIR.glob("*.md")}
    assert sorted(on_disk) == sorted(expected), "docs/rules/ is stale: run `python -m linter.docs`"
    for name, text in expected.items():
        assert on_disk[name] == text, f"docs/rules/{name} is stale: run `python -m linter.docs`"


def test_index_matches_ailint_rules() -> None:
    catalogue = json.loads(invoke("rules", "--format", "json").output)
    index = (DEFAULT_DIR / "README.md").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("| [AIL")]
    assert len(rows) == len(catalogue)
    for row, entry in zip(rows, catalogue):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == f"[{entry['code']}]({entry['code']}.md)"
        assert cells[1:] == [entry["name"], "on" if entry["default"] else "off", entry["severity"], entry["summary"]]
