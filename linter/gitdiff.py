"""`--diff REF`: which lines changed since a git revision.

Semantics are those of a pull request: the changes since the merge base of REF and HEAD
(like `git diff REF...HEAD`), plus what is staged, unstaged and untracked in the working
tree. A finding is kept when its range touches an added or changed line, or straddles a
place where lines were deleted (the statement it sits in was edited). Renames are
detected, so a file that was only moved or renamed brings no old findings along.

git runs as a subprocess with an argument list (no shell); REF is passed after a
`--end-of-options` guard so it can never be read as an option.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

from linter.errors import UserError
from linter.findings import Finding

_HUNK_RE = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


class GitDiffError(UserError):
    """Not a git repository, unknown REF, or git failed; the message says which."""


@dataclass
class ChangedLines:
    #: absolute real path -> changed line numbers (1-based)
    lines: dict[str, set[int]] = field(default_factory=dict)
    #: absolute real paths of files whose every line counts as new (untracked files)
    whole_files: set[str] = field(default_factory=set)
    #: absolute real path -> line numbers L such that lines were deleted between L and L+1
    deletions: dict[str, set[int]] = field(default_factory=dict)

    def touches(self, finding: Finding) -> bool:
        path = os.path.realpath(finding.path)
        if path in self.whole_files:
            return True
        changed = self.lines.get(path, set())
        deleted = self.deletions.get(path, set())
        start, end = finding.line, max(finding.end_line, finding.line)
        if finding.cell is not None:
            # a notebook finding's lines count within its cell; git diffs the .ipynb JSON text
            if finding.raw_region is None:
                return bool(changed or deleted)  # unlocated: keep it if the notebook changed
            start, end = finding.raw_region[0], max(finding.raw_region[2], finding.raw_region[0])
        if any(line in changed for line in range(start, end + 1)):
            return True
        return any(start <= line < end for line in deleted)

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        return [finding for finding in findings if self.touches(finding)]


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise GitDiffError("--diff needs git, which was not found on PATH") from None
    except OSError as exc:
        raise GitDiffError(f"--diff: cannot run git: {exc.strerror or exc}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "git failed"


def unquote_path(raw: bytes) -> bytes:
    """A path as git prints it in a diff header (C-quoted when it has unusual bytes)."""
    if not raw.startswith(b'"') or not raw.endswith(b'"') or len(raw) < 2:
        return raw
    body = raw[1:-1].decode("latin-1")
    out = bytearray()
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            following = body[i + 1]
            if re.fullmatch(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(following, ord(following)))
            i += 2
            continue
        out.append(ord(char))
        i += 1
    return bytes(out)


def parse_diff(patch: bytes, top: str) -> ChangedLines:
    """Added/changed lines per file from `git diff -U0` output (paths under `top`)."""
    changed = ChangedLines()
    current: str | None = None
    for raw in patch.split(b"\n"):
        if raw.startswith(b"+++ "):
            target = raw[4:].rstrip(b"\r")
            if target == b"/dev/null":
                current = None
                continue
            target = unquote_path(target)
            if target.startswith(b"b/"):
                target = target[2:]
            current = os.path.realpath(os.path.join(top, os.fsdecode(target)))
            continue
        if current is None:
            continue
        match = _HUNK_RE.match(raw)
        if match:
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            if count == 0:  # a pure deletion after line `start`
                changed.deletions.setdefault(current, set()).add(start)
            else:
                changed.lines.setdefault(current, set()).update(range(start, start + count))
    return changed


def changed_lines(ref: str, cwd: str | None = None) -> ChangedLines:
    """The lines changed since the merge base of `ref` and HEAD, working tree included."""
    cwd = cwd or os.getcwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise GitDiffError(f"--diff {ref}: {cwd} is not inside a git repository")
    toplevel = os.fsdecode(top.stdout.strip())
    if not ref or ref.startswith("-"):
        raise GitDiffError(f"--diff: {ref!r} is not a git revision")
    resolved = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    if resolved.returncode != 0:
        raise GitDiffError(f"--diff: unknown git revision {ref!r}")
    commit = resolved.stdout.decode("ascii", "replace").strip()
    base = commit
    head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd)
    if head.returncode == 0:
        merge_base = _git(["merge-base", commit, "HEAD"], cwd)
        if merge_base.returncode != 0:
            raise GitDiffError(f"--diff: {ref!r} and HEAD have no common ancestor")
        base = merge_base.stdout.decode("ascii", "replace").strip()
    # the merge base against the working tree: committed, staged and unstaged changes
    diff = _git(
        ["-c", "core.quotepath=on", "diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "-U0", base, "--"],
        toplevel,
    )
    if diff.returncode != 0:
        raise GitDiffError(f"--diff {ref}: git diff failed: {_first_line(diff.stderr)}")
    changed = parse_diff(diff.stdout, toplevel)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], toplevel)
    if untracked.returncode != 0:
        raise GitDiffError(f"--diff {ref}: git ls-files failed: {_first_line(untracked.stderr)}")
    for name in untracked.stdout.split(b"\0"):
        if name:
            changed.whole_files.add(os.path.realpath(os.path.join(toplevel, os.fsdecode(name))))
    return changed
