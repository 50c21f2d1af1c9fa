"""Reads `# expect:` annotations (SPEC §6) and compares them with what ailint reports.

- `# expect: AIL101` at the end of a line: a finding with that code whose range
  (line..end_line) covers this line. Several codes: `# expect: AIL101, AIL503`.
- `# expect: AIL101` on a line of its own: the same, for the next line that is not a comment.
- Any finding not claimed by an annotation is an error.

Fixtures are single files (analyzed with the default configuration) or project
directories — a directory holding an `ailint.toml` — analyzed as one run with that
configuration, so cross-module rules see the whole project and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from linter.findings import Finding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>AIL\d{3}(?:\s*,\s*AIL\d{3})*)")


@dataclass(frozen=True)
class Expectation:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def expectations(path: Path, display: str) -> list[Expectation]:
    lines = read_text(path).split("\n")
    found: list[Expectation] = []
    pending: list[str] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = _EXPECT_RE.search(line)
        if match and stripped.startswith("#") and stripped[1:].lstrip().startswith("expect:"):
            pending.extend(c.strip() for c in match.group("codes").split(","))
            continue
        if pending and stripped and not stripped.startswith("#"):
            found.extend(Expectation(display, number, code) for code in pending)
            pending = []
        if match:
            found.extend(Expectation(display, number, c.strip()) for c in match.group("codes").split(","))
    return found


def compare(expected: list[Expectation], findings: list[Finding]) -> tuple[list[Expectation], list[Finding]]:
    """(missing expectations, unclaimed findings). Narrow findings claim first."""
    open_expectations = list(expected)
    unclaimed: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.end_line - f.line, f.sort_key())):
        for index, expectation in enumerate(open_expectations):
            if (
                expectation.path == finding.path
                and expectation.code == finding.code
                and finding.line <= expectation.line <= max(finding.end_line, finding.line)
            ):
                del open_expectations[index]
                break
        else:
            unclaimed.append(finding)
    return open_expectations, unclaimed


def fixture_units() -> list[Path]:
    """Every single-file fixture and every project directory, sorted."""
    units: list[Path] = []
    projects = sorted(p.parent for p in FIXTURES.rglob("ailint.toml"))
    for path in sorted(FIXTURES.rglob("*")):
        if any(project == path or project in path.parents for project in projects):
            continue
        if path.is_file() and path.suffix in (".py", ".pyi"):
            units.append(path)
    return sorted([*units, *projects])


def describe(missing: list[Expectation], extra: list[Finding]) -> str:
    lines = []
    for expectation in missing:
        lines.append(f"  missing  {expectation}")
    for finding in extra:
        lines.append(f"  extra    {finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}")
    return "\n".join(lines)
