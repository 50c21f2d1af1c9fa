"""Running the real CLI in a directory, for the end-to-end tests."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from linter.cli import cli


def invoke(*args: str, cwd: Path, input: str | None = None):
    """`ailint ARGS` with `cwd` as the current directory (paths in reports are relative to it)."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
