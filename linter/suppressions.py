"""Suppression comments (SPEC §5).

- `# ailint: ignore[AIL101, AIL102]` or `# noqa: AIL101` hides those codes on its line;
- a bare `# ailint: ignore` (or bare `# noqa`) hides every code on its line;
- `# ailint: skip-file` in the first lines skips the whole file.

A finding is hidden when the comment is on the line where it starts or on the last
line of its statement (so a multi-line call can carry the comment after its closing
parenthesis, where formatters leave it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from linter.engine.source import SourceText
from linter.findings import Finding

_IGNORE_RE = re.compile(
    r"#\s*(?:ailint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?|noqa(?:\s*:\s*(?P<noqa>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?)",
    re.IGNORECASE,
)
_CANDIDATE_RE = re.compile(r"#\s*(?:ailint|noqa)", re.IGNORECASE)
_SKIP_FILE_RE = re.compile(r"#\s*ailint\s*:\s*skip-file\b", re.IGNORECASE)
SKIP_FILE_LINES = 10
ALL = "*"


def parse_suppressions(source: SourceText) -> tuple[dict[int, list[str]], bool]:
    """({line: [codes] or ["*"]}, skip_file) for the file's comments."""
    text = source.text
    suppressions: dict[int, list[str]] = {}
    if "#" not in text:
        return suppressions, False
    skip_file = False
    # only lines with a candidate comment are looked at (one scan of the whole text)
    candidates = sorted({source.position(m.start())[0] for m in _CANDIDATE_RE.finditer(text)})
    for number in candidates:
        line = source.line(number)
        if number <= SKIP_FILE_LINES and _SKIP_FILE_RE.search(line):
            skip_file = True
        for match in _IGNORE_RE.finditer(line):
            codes = match.group("codes") or match.group("noqa")
            if codes is None or not codes.strip():
                # `# noqa: E501`-style codes of other tools never reach here (they match
                # `noqa` with codes); a bare `# noqa` hides every ailint code, as in Ruff
                suppressions[number] = [ALL]
            else:
                entries = [c.strip().upper() for c in re.split(r"[\s,]+", codes) if c.strip()]
                suppressions.setdefault(number, [])
                if suppressions[number] != [ALL]:
                    suppressions[number].extend(entries)
    return suppressions, skip_file


def line_key(cell: int | None, line: int) -> int:
    """The key of a line in a suppressions map: the line, or for a notebook (cell, line in cell)."""
    return line if cell is None else cell * 1_000_000 + line


def is_suppressed(finding: Finding, suppressions: dict[int, list[str]]) -> bool:
    for line in {finding.line, finding.statement_end_line or finding.line}:
        codes = suppressions.get(line_key(finding.cell, line))
        if codes and (ALL in codes or finding.code in codes or finding.name.upper() in codes):
            return True
    return False


def split_suppressed(
    findings: Iterable[Finding], suppressions: dict[int, list[str]]
) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed)."""
    kept: list[Finding] = []
    hidden: list[Finding] = []
    for finding in findings:
        (hidden if is_suppressed(finding, suppressions) else kept).append(finding)
    return kept, hidden
