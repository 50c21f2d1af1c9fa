"""`--format json`: the machine-readable report of SPEC §3."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from linter import __version__
from linter.findings import Finding

if TYPE_CHECKING:
    from linter.engine.runner import RunResult
    from linter.rules.base import Rule

_FIELDS = ("code", "name", "severity", "path", "line", "column", "end_line", "end_column", "message", "fingerprint", "fix")


def finding_json(finding: Finding) -> dict[str, Any]:
    data = {name: getattr(finding, name) for name in _FIELDS}
    if finding.cell is not None:
        data["cell"] = finding.cell
    return data


def summary(run: "RunResult") -> dict[str, Any]:
    return {
        "files_scanned": run.files_scanned,
        "files_not_analyzed": run.files_not_analyzed,
        "findings": len(run.findings),
        "by_code": dict(sorted(Counter(f.code for f in run.findings).items())),
        "duration_s": round(run.duration_s, 3),
    }


def render(run: "RunResult", rules: "tuple[type[Rule], ...]", color: bool = False) -> str:
    document = {
        "tool": {"name": "ailint", "version": __version__},
        "findings": [finding_json(f) for f in run.findings],
        "summary": summary(run),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
