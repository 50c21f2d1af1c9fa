"""The default report: one block per finding, like Ruff, then a summary line."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click

from linter.engine.fixes import is_applicable
from linter.findings import Finding

if TYPE_CHECKING:
    from linter.engine.runner import RunResult
    from linter.rules.base import Rule

_SEVERITY_COLOR = {"error": "red", "warning": "yellow", "note": "cyan"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _location(finding: Finding) -> str:
    if finding.cell is not None:
        return f"{finding.path}:cell {finding.cell}:{finding.line}:{finding.column}"
    return f"{finding.path}:{finding.line}:{finding.column}"


def render_finding(finding: Finding, hint: str, color: bool, unsafe_fixes: bool = False) -> str:
    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if color else text

    code = style(finding.code, fg=_SEVERITY_COLOR.get(finding.severity, "red"), bold=True)
    fixable = style("[*] ", fg="cyan") if is_applicable(finding.fix, unsafe_fixes) else ""
    lines = [f"{style(_location(finding), bold=True)}: {code} {fixable}{finding.message}"]
    source = finding.source_line.expandtabs(1)
    if source.strip():
        gutter = str(finding.line)
        pad = " " * len(gutter)
        start, end = finding.caret
        if len(source) > 200:  # a minified or generated line: show the part around the span
            left = max(0, start - 60)
            source = ("…" if left else "") + source[left : left + 160] + "…"
            shift = left - (1 if left else 0)
            start, end = start - shift, min(end - shift, len(source))
        width = max(1, min(end, len(source)) - start)
        lines.append(f"{pad} {style('|', fg='blue')}")
        lines.append(f"{gutter} {style('|', fg='blue')} {source}")
        lines.append(f"{pad} {style('|', fg='blue')} {' ' * start}{style('^' * width, fg='red')}")
        if hint:
            lines.append(f"{pad} = {style('hint', bold=True)}: {hint}")
    elif hint:
        lines.append(f"  = {style('hint', bold=True)}: {hint}")
    return "\n".join(lines)


def summary_line(run: "RunResult") -> str:
    files = _plural(run.files_scanned, "file")
    if not run.findings:
        return f"No findings in {files}."
    severities = Counter(f.severity for f in run.findings)
    parts = [_plural(severities[s], s) for s in ("error", "warning", "note") if severities[s]]
    return f"Found {_plural(len(run.findings), 'finding')} ({', '.join(parts)}) in {files}."


def fixes_line(run: "RunResult") -> str:
    """Ruff's note on fixes: how many `--fix` would apply, how many need `--unsafe-fixes`."""
    unsafe = getattr(run, "unsafe_fixes", False)
    fixable = sum(1 for f in run.findings if is_applicable(f.fix, unsafe))
    hidden = sum(1 for f in run.findings if f.fix and not is_applicable(f.fix, unsafe))
    if not fixable and not hidden:
        return ""
    note = f" ({_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    note = note.replace("fixs", "fixes")
    if fixable:
        return f"[*] {fixable} fixable with the `--fix` option{note}."
    return f"No fixes available{note}."


def render(run: "RunResult", rules: "tuple[type[Rule], ...]", color: bool = False) -> str:
    hints = {rule.code: rule.hint for rule in rules}
    unsafe = getattr(run, "unsafe_fixes", False)
    blocks = [render_finding(f, hints.get(f.code, ""), color, unsafe) for f in run.findings]
    fixes = fixes_line(run)
    blocks.append((fixes + "\n" if fixes else "") + summary_line(run))
    return "\n\n".join(blocks) + "\n"
