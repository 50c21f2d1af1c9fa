"""Reads `# expect:` annotations (SPEC §6) and compares them with what ailint reports.

- `# expect: AIL101` at the end of a line: a finding with that code whose range
  (line..end_line) covers this line. Several codes: `# expect: AIL101, AIL503`.
- `# expect: AIL101` on a line of its own: the same, for the next line that is not a comment.
- Any finding not claimed by an annotation is an error.

Notebooks (`.ipynb`) carry their annotations inside code-cell sources (or stored output
text); an expectation there is (cell, line within the cell), read through the same
virtual module the engine analyzes. A notebook that is not valid JSON is read as text.
`<name>.fixed.py` files are the expected result of `--fix` on `<name>.py`
(tests/test_fixes.py) and carry no annotations of their own.

Fixtures are single files (analyzed with the default configuration) or project
directories — a directory holding an `ailint.toml` — analyzed as one run with that
configuration, so cross-module rules see the whole project and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from linter.engine.notebook import NotebookError, read_notebook
from linter.engine.source import is_notebook
from linter.findings import Finding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>AIL\d{3}(?:\s*,\s*AIL\d{3})*)")


@dataclass(frozen=True)
class Expectation:
    path: str
    line: int
    code: str
    #: notebooks: the 1-based code cell, `line` counting within it
    cell: int | None = None

    def __str__(self) -> str:
        where = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{where}{self.line}: {self.code}"


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def expectations(path: Path, display: str) -> list[Expectation]:
    if is_notebook(path.name):
        try:
            module = read_notebook(path.read_bytes())
        except NotebookError:
            return expectations_in_text(read_text(path), display)
        found = []
        for expectation in expectations_in_text(module.text, display):
            origin = module.origin(expectation.line)
            assert origin is not None
            found.append(Expectation(display, origin.line, expectation.code, origin.cell))
        return found
    return expectations_in_text(read_text(path), display)


def expectations_in_text(text: str, display: str) -> list[Expectation]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
                and expectation.cell == finding.cell
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
        if path.is_file() and path.suffix in (".py", ".pyi", ".ipynb") and not path.name.endswith(".fixed.py"):
            units.append(path)
    return sorted([*units, *projects])


def describe(missing: list[Expectation], extra: list[Finding]) -> str:
    lines = []
    for expectation in missing:
        lines.append(f"  missing  {expectation}")
    for finding in extra:
        cell = f"cell {finding.cell}:" if finding.cell is not None else ""
        lines.append(f"  extra    {finding.path}:{cell}{finding.line}:{finding.column}: {finding.code} {finding.message}")
    return "\n".join(lines)
