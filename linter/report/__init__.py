"""Reporters: turn a run's findings into text, JSON, SARIF or GitHub workflow commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.engine.runner import RunResult
    from linter.rules.base import Rule

Reporter = Callable[["RunResult", "tuple[type[Rule], ...]", bool], str]


def reporter(name: str) -> Reporter:
    """The reporter for a `--format` name."""
    if name == "json":
        from linter.report.json_report import render
    elif name == "sarif":
        from linter.report.sarif import render
    elif name == "github":
        from linter.report.github import render
    else:
        from linter.report.text import render
    return render


FORMATS = ("text", "json", "sarif", "github")
