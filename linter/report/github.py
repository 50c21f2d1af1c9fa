"""`--format github`: GitHub Actions workflow commands, one per finding (SPEC §3).

    ::error file=app/client.py,line=2,col=26,endLine=2,endColumn=75,title=AIL101 hardcoded-api-key::message

GitHub shows each as an annotation on the pull request's diff. Values are escaped as the
Actions runner expects: `%`, CR and LF in the message; also `:` and `,` in properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.findings import Finding

if TYPE_CHECKING:
    from linter.engine.runner import RunResult
    from linter.rules.base import Rule

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    properties = {
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"{finding.code} {finding.name}",
    }
    message = finding.message
    if finding.cell is not None:  # a notebook: lines count within the cell
        message = f"cell {finding.cell}, line {finding.line}: {message}"
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{_COMMANDS.get(finding.severity, 'error')} {joined}::{escape_data(message)}"


def render(run: "RunResult", rules: "tuple[type[Rule], ...]", color: bool = False) -> str:
    return "".join(command(finding) + "\n" for finding in run.findings)
