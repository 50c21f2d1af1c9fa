"""The result types every stage shares: a finding, and what one file's analysis yields."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Finding:
    """One reported problem. Lines and columns are 1-based; `end_column` is exclusive.

    Everything here is safe to print or store: messages and `source_line` are already
    redacted by the engine, and the fingerprint is a hash.
    """

    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fingerprint: str = ""
    fix: dict[str, Any] | None = None
    #: the (redacted) text of the first line of the finding, for the text report
    source_line: str = ""
    #: the last line of the statement the finding sits in (suppression comments may go there)
    statement_end_line: int = 0
    #: 1-based code-cell index for notebooks, else None
    cell: int | None = None
    #: the 0-based [start, end) of the caret under `source_line` (after redaction)
    caret: tuple[int, int] = (0, 0)
    #: notebooks only: (line, column, end_line, end_column), 1-based, of the finding in the
    #: .ipynb file's own JSON text (for SARIF regions and --diff); None when not located
    raw_region: tuple[int, int, int, int] | None = None

    def sort_key(self) -> tuple:
        # a notebook's findings sort by cell first (`cell` is None elsewhere)
        return (self.path, self.cell or 0, self.line, self.column, self.code, self.end_line, self.end_column, self.message)

    def to_dict(self) -> dict[str, Any]:
        """JSON-native (lists, not tuples): it is stored in facts and cache entries, and a
        cached value must read back equal to the fresh one."""
        data = asdict(self)
        data["caret"] = list(self.caret)
        if self.raw_region is not None:
            data["raw_region"] = list(self.raw_region)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        data = dict(data)
        data["caret"] = tuple(data.get("caret", (0, 0)))
        if data.get("raw_region") is not None:
            data["raw_region"] = tuple(data["raw_region"])
        return cls(**data)


@dataclass
class FileResult:
    """What the analysis of one file yields: a pure function of (bytes, path, configuration).

    `facts` are project-wide facts that later, cross-module rules resolve after every file
    has been analyzed (for example: "function f of this module reaches an AI request").
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    not_analyzed: str | None = None
    #: lines hidden by suppression comments: {line: [codes] or ["*"]}; resolved per run
    suppressions: dict[int, list[str]] = field(default_factory=dict)
    skip_file: bool = False
    #: `facts` holds everything the engine's trackers find in the file. The pre-filter leaves
    #: a file unparsed when no enabled rule can fire on it, and runs the route tracker only
    #: where a rule uses it; the project phase completes such a file's facts if it needs them
    facts_complete: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "findings": [f.to_dict() for f in self.findings],
            "facts": self.facts,
            "not_analyzed": self.not_analyzed,
            "suppressions": {str(k): v for k, v in self.suppressions.items()},
            "skip_file": self.skip_file,
            "facts_complete": self.facts_complete,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FileResult":
        return cls(
            path=data["path"],
            findings=[Finding.from_dict(f) for f in data["findings"]],
            facts=data["facts"],
            not_analyzed=data["not_analyzed"],
            suppressions={int(k): v for k, v in data["suppressions"].items()},
            skip_file=data["skip_file"],
            facts_complete=data.get("facts_complete", False),
        )


def stable_hash(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest of the given parts."""
    import hashlib  # here: a worker whose files have no findings never loads OpenSSL

    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:length]


def fingerprint_path(path: str, root: str | None) -> str:
    """The path that goes into a fingerprint: relative to the project root (the directory of
    the configuration file) when the file is under it, so that a fingerprint — and with it a
    baseline or a code-scanning alert — does not depend on the directory ailint runs from."""
    if not root or path == "-":
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive on Windows
        return path
    if relative == os.curdir or relative.startswith(os.pardir):
        return path
    return relative.replace(os.sep, "/")
