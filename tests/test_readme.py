"""The README stays true: its rules table is the catalogue, its Quick start the CI command."""

from __future__ import annotations

import re
from pathlib import Path

from linter.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def rules_table() -> str:
    rows = ["| code | name | default | severity | summary |", "|---|---|---|---|---|"]
    for rule in all_rules():
        rows.append(f"| {rule.code} | {rule.name} | {'on' if rule.default else 'off'} | {rule.severity} | {rule.summary} |")
    return "\n".join(rows)


def test_rules_table_matches_catalogue() -> None:
    match = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", README, re.S)
    assert match, "README has no rules table markers"
    assert match.group(1) == rules_table(), "README rules table is stale; paste:\n" + rules_table()


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)
    assert len(commands) >= 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
