"""Baselines (SPEC §5): record today's findings, then report only new ones.

The file is JSON meant to be read and reviewed in a diff: one entry per line, sorted by
path, code and fingerprint, each with how many findings share that fingerprint in that
file. It holds no message, snippet or line number — only the rule, the path (relative to the
baseline file, for people to read) and the engine's fingerprint (a hash of the rule, path, enclosing scope and normalized, redacted
expression), so it never holds a secret and survives edits that move code.

Matching is count-aware: a file with two identical recorded findings and a third new one
still reports one (Bandit's baseline would hide it). When a fingerprint has more
findings than recorded, the ones that come first in the file are taken as the old ones.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from linter import __version__
from linter.errors import UserError
from linter.findings import Finding

FORMAT_VERSION = 1


class BaselineError(UserError):
    """The baseline file is missing, unreadable or not an ailint baseline."""


@dataclass(frozen=True)
class Baseline:
    #: (path, code, fingerprint) -> how many findings
    counts: dict[tuple[str, str, str], int]
    names: dict[str, str]

    @classmethod
    def from_findings(cls, findings: Iterable[Finding], directory: str = ".") -> "Baseline":
        """Paths are written relative to `directory` (the baseline file's own) for people
        to read; matching goes by rule and fingerprint, which already hold the path
        relative to the project root, so it works from any working directory."""
        findings = list(findings)
        counts = Counter((_relative(f.path, directory), f.code, f.fingerprint) for f in findings)
        return cls(dict(counts), {f.code: f.name for f in findings})

    def split(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new, baselined)."""
        remaining: Counter[tuple[str, str]] = Counter()
        for (_path, code, fingerprint), count in self.counts.items():
            remaining[(code, fingerprint)] += count
        new: list[Finding] = []
        old: list[Finding] = []
        for finding in sorted(findings, key=Finding.sort_key):
            key = (finding.code, finding.fingerprint)
            if remaining.get(key, 0) > 0:
                remaining[key] -= 1
                old.append(finding)
            else:
                new.append(finding)
        return new, old

    def dumps(self) -> str:
        """Stable, one entry per line, so that a re-recorded baseline diffs line by line."""
        entries = [
            json.dumps(
                {"path": path, "code": code, "name": self.names.get(code, ""), "fingerprint": fp, "count": count},
                ensure_ascii=False,
            )
            for (path, code, fp), count in sorted(self.counts.items())
        ]
        body = ",\n    ".join(entries)
        findings = f"[\n    {body}\n  ]" if entries else "[]"
        return (
            "{\n"
            f'  "ailint-baseline": {FORMAT_VERSION},\n'
            f'  "tool": {{"name": "ailint", "version": {json.dumps(__version__)}}},\n'
            f'  "findings": {findings}\n'
            "}\n"
        )

    @classmethod
    def loads(cls, text: str, where: str) -> "Baseline":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BaselineError(f"{where}: not a baseline file (invalid JSON: {exc})") from None
        if not isinstance(data, dict) or data.get("ailint-baseline") != FORMAT_VERSION:
            raise BaselineError(f"{where}: not an ailint baseline (version {FORMAT_VERSION}); re-create it with --write-baseline")
        counts: dict[tuple[str, str, str], int] = {}
        names: dict[str, str] = {}
        entries = data.get("findings")
        if not isinstance(entries, list):
            raise BaselineError(f"{where}: \"findings\" must be a list")
        for number, entry in enumerate(entries, 1):
            try:
                key = (str(entry["path"]), str(entry["code"]), str(entry["fingerprint"]))
                count = int(entry.get("count", 1))
            except (KeyError, TypeError, ValueError):
                raise BaselineError(f"{where}: entry {number} needs path, code, fingerprint and count") from None
            counts[key] = counts.get(key, 0) + max(0, count)
            if isinstance(entry.get("name"), str):
                names[key[1]] = entry["name"]
        return cls(counts, names)


def load_baseline(path: str) -> Baseline:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} not found; create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return Baseline.loads(text, path)


def _relative(path: str, directory: str) -> str:
    if path == "-":
        return path
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(directory)).replace(os.sep, "/")
    except ValueError:
        return path


def write_baseline(path: str, findings: Iterable[Finding]) -> Baseline:
    baseline = Baseline.from_findings(findings, os.path.dirname(os.path.abspath(path)))
    try:
        Path(path).write_text(baseline.dumps(), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return baseline
