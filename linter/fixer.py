"""Applying fixes (`--fix`, `--unsafe-fixes`, `--diff-fixes`), Ruff-style.

Per file, in rounds: analyze -> take the applicable fixes of the findings that are not
suppressed -> splice their edits into the text (fixes whose edits overlap an earlier
one wait for the next round) -> check that the result still parses (a fix that breaks
the file is dropped) -> again, until nothing is left to fix. The text outside the
edited ranges is never touched: the result is the original bytes with those ranges
replaced. Only UTF-8 files (a BOM is kept) are fixed, and never notebooks.

A diff preview never shows a secret: the literals a secrets rule's fix removes (rules
with `fix_replaces_secret`), and any key or secret-like string on a line of the diff, are
redacted. What other fixes replace (`http://`, `verify=False`...) is shown as it is.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.analyze import analyze_source
from linter.engine.fixes import is_applicable
from linter.engine.source import is_notebook
from linter.engine.source import SourceText
from linter.suppressions import split_suppressed

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.runner import Target
    from linter.rules.base import Rule

MAX_ROUNDS = 10


@dataclass
class FileFix:
    display: str
    path: Path
    original: str
    fixed: str
    applied: int
    #: the secrets the fixes replaced (redacted in diffs)
    removed: tuple[str, ...] = ()
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _offset(source: SourceText, line: int, column: int) -> int:
    return source.offset(line, column - 1)


def _ranges(source: SourceText, fix: dict[str, Any]) -> list[tuple[int, int, str]]:
    return [
        (_offset(source, e["line"], e["column"]), _offset(source, e["end_line"], e["end_column"]), e["content"])
        for e in fix["edits"]
    ]


def _conflicts(edit: tuple[int, int, str], accepted: list[tuple[int, int, str]]) -> bool:
    start, end, content = edit
    for other in accepted:
        if other == edit:
            continue
        o_start, o_end, o_content = other
        if start < o_end and o_start < end:
            return True
        if start == end == o_start == o_end and content != o_content:
            return True
    return False


def apply_fixes(text: str, fixes: Sequence[dict[str, Any]]) -> tuple[str, int]:
    """(new text, number of fixes applied). Overlapping fixes are skipped."""
    source = SourceText(text)
    accepted: list[tuple[int, int, str]] = []
    applied = 0
    for fix in sorted(fixes, key=lambda f: [(e["line"], e["column"]) for e in f["edits"]]):
        edits = _ranges(source, fix)
        if any(_conflicts(edit, accepted) for edit in edits):
            continue
        accepted.extend(edit for edit in edits if edit not in accepted)
        applied += 1
    # from the end backwards; an insertion at a point goes before a replacement starting there
    for start, end, content in sorted(accepted, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def _replaced(text: str, fixes: Sequence[dict[str, Any]]) -> list[str]:
    """The texts the edits of `fixes` replace."""
    source = SourceText(text)
    return [text[start:end] for fix in fixes for start, end, _ in _ranges(source, fix) if end > start]


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except Exception:  # any parser failure means: do not write this
        return False
    return True


def fix_source(
    display: str, text: str, config: "Config", rules: Sequence[type["Rule"]], unsafe: bool
) -> tuple[str, int, list[str]]:
    """Fix one file's text until no applicable fix is left: (text, fixes applied, the
    secrets replaced)."""
    total = 0
    removed: list[str] = []
    hiding = {rule.code for rule in rules if rule.fix_replaces_secret}
    for _ in range(MAX_ROUNDS):
        result = analyze_source(display, text.encode("utf-8", "surrogatepass"), config, rules)
        if result.skip_file:
            break
        kept, _ = split_suppressed(result.findings, result.suppressions)
        fixes = [f.fix for f in kept if is_applicable(f.fix, unsafe)]
        if not fixes:
            break
        new_text, applied = apply_fixes(text, fixes)  # type: ignore[arg-type]
        if not _parses(new_text):
            # keep only the fixes that parse on their own
            good = [fix for fix in fixes if _parses(apply_fixes(text, [fix])[0])]  # type: ignore[list-item]
            if len(good) == len(fixes):
                break
            new_text, applied = apply_fixes(text, good)  # type: ignore[arg-type]
            if not good or not _parses(new_text):
                break
        if new_text == text:
            break
        # (a secret whose fix waits for a later round is counted already: harmless)
        secret_fixes = [f.fix for f in kept if f.code in hiding and is_applicable(f.fix, unsafe)]
        removed.extend(_replaced(text, secret_fixes))  # type: ignore[arg-type]
        text, total = new_text, total + applied
    return text, total, removed


def fix_targets(
    targets: Sequence["Target"], config: "Config", rules: Sequence[type["Rule"]], unsafe: bool
) -> list[FileFix]:
    """The fixed text of each target with applicable fixes (nothing is written here)."""
    from linter.engine.runner import _rules_for, read_target

    results: list[FileFix] = []
    for target in targets:
        if target.path is None or is_notebook(target.display):
            continue
        data, _ = read_target(target)
        if data is None:
            continue
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            continue  # only UTF-8 files are rewritten
        fixed, applied, removed = fix_source(target.display, text, config, _rules_for(target, config, rules), unsafe)
        if fixed != text:
            results.append(FileFix(target.display, target.path, text, fixed, applied, tuple(removed), bom))
    return results


def write_fixes(fixes: Sequence[FileFix]) -> None:
    for file_fix in fixes:
        data = file_fix.fixed.encode("utf-8", "surrogatepass")
        # newline="" semantics: the text already holds the file's own line endings
        file_fix.path.write_bytes((codecs.BOM_UTF8 if file_fix.bom else b"") + data)


# --- the diff preview -----------------------------------------------------------------------------

_QUOTED_RE = re.compile(r"""(?P<q>["'])(?P<body>(?:\\.|(?!(?P=q)).){8,}?)(?P=q)""")


def redact_line(line: str, removed: Sequence[str]) -> str:
    """A line of a diff with every secret in it redacted."""
    from linter.engine.context import _visible_prefix
    from linter.knowledge.keys import find_keys, looks_like_secret, redact

    for key in sorted(find_keys(line), key=lambda k: k.start, reverse=True):
        line = line[: key.start] + key.redacted + line[key.end :]
    for text in removed:
        value = text.strip("'\"bBrRuU")
        if len(value) >= 4 and value in line:
            line = line.replace(value, redact(value, _visible_prefix(value)))

    def scrub(match: re.Match[str]) -> str:
        body = match.group("body")
        if looks_like_secret(body, min_length=8):
            return match.group("q") + redact(body, _visible_prefix(body)) + match.group("q")
        return match.group(0)

    return _QUOTED_RE.sub(scrub, line)


def unified_diff(file_fix: FileFix) -> str:
    lines = difflib.unified_diff(
        file_fix.original.splitlines(keepends=True),
        file_fix.fixed.splitlines(keepends=True),
        fromfile=f"a/{file_fix.display}",
        tofile=f"b/{file_fix.display}",
    )
    out = []
    for line in lines:
        line = redact_line(line, file_fix.removed)
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def apply_and_rerun(
    outcome: Any,
    targets: Sequence["Target"],
    config: "Config",
    rules: Sequence[type["Rule"]],
    jobs: int | None,
    unsafe: bool,
    diff_only: bool,
    quiet: bool,
) -> tuple[Any, int]:
    """The CLI's `--fix` / `--diff-fixes`: fix the files with applicable fixes, then either
    print the diff (exit status 1 when there is one) or write them and re-run the check so
    the report shows what remains."""
    import click

    from linter.engine.runner import run

    fixable = {f.path for f in outcome.findings if is_applicable(f.fix, unsafe)}
    fixes = fix_targets([t for t in targets if t.display in fixable], config, rules, unsafe)
    applied = sum(f.applied for f in fixes)
    if diff_only:
        for file_fix in fixes:
            click.echo(unified_diff(file_fix), nl=False)
        if not quiet:
            click.echo(f"Would fix {applied} finding{'s' * (applied != 1)} in {len(fixes)} file{'s' * (len(fixes) != 1)}.", err=True)
        return outcome, 1 if fixes else 0
    write_fixes(fixes)
    if fixes:
        outcome = run(targets, config, rules, jobs)
    if not quiet and applied:
        click.echo(f"Fixed {applied} finding{'s' * (applied != 1)} in {len(fixes)} file{'s' * (len(fixes) != 1)}.", err=True)
    return outcome, 0
