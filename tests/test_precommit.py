"""The pre-commit hook, exercised with the real `pre-commit try-repo` against this checkout.

try-repo installs the checkout (with its uncommitted changes) into pre-commit's own
virtualenv from PyPI, so this test needs network access to PyPI the first time; it is
skipped with the reason when pre-commit is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from keygen import fake_keys

ROOT = Path(__file__).resolve().parent.parent
KEY = fake_keys(23)["openai_project"]


def _pre_commit() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_with_pre_commit_try_repo(tmp_path: Path) -> None:
    command = _pre_commit()
    if command is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit, or the test extra)")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "clean.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    (repo / "bad.py").write_text(f'from openai import OpenAI\nclient = OpenAI(api_key="{KEY}")\n')
    (repo / "notes.txt").write_text(f"not python: {KEY}\n")  # types_or keeps it out
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "try-repo", str(ROOT), "ailint", "--color", "never", "--files", *files],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )

    clean = try_repo("clean.py", "notes.txt")
    if clean.returncode != 0 and "ailint" not in clean.stdout:
        pytest.skip(f"pre-commit could not install the hook (offline?): {(clean.stdout + clean.stderr)[-400:]}")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    bad = try_repo("clean.py", "bad.py", "notes.txt")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "bad.py:2:26: AIL101 OpenAI API key" in bad.stdout
    assert "notes.txt" not in bad.stdout and "clean.py:" not in bad.stdout
    assert KEY not in bad.stdout + bad.stderr
