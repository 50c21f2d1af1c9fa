"""`--diff REF`: only findings on lines changed since the merge base with REF, working tree
included; clear errors outside a repository or for an unknown REF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from clihelp import invoke
from keygen import fake_keys
from linter.findings import Finding
from linter.gitdiff import ChangedLines, parse_diff, unquote_path

KEYS = fake_keys(19)
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    env_args = ["-c", "user.name=ailint tests", "-c", "user.email=tests@example.com", "-c", "commit.gpgsign=false"]
    completed = subprocess.run(["git", *env_args, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return completed.stdout


def codes_and_lines(cwd: Path, *args: str) -> list[tuple[str, str, int]]:
    result = invoke("check", "--format", "json", *args, cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    return [(f["path"], f["code"], f["line"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.py").write_text(
        "import os\n"
        f'LEGACY = "{KEYS["groq"]}"  # an old finding, committed on main\n'
        "\n"
        "def call(client):\n"
        "    return client.chat(model='x')\n"
    )
    (tmp_path / "clean.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "main")
    return tmp_path


def test_diff_main_reports_only_what_the_branch_added(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    text = (repo / "app.py").read_text().replace(
        "def call(client):\n", f'def call(client):\n    key = "{KEYS["anthropic"]}"\n'
    )
    (repo / "app.py").write_text("# a comment moves every line down\n" + text)
    git(repo, "commit", "-qam", "feature")
    assert len(codes_and_lines(repo, ".")) == 2
    assert codes_and_lines(repo, "--diff", "main", ".") == [("app.py", "AIL101", 6)]
    result = invoke("check", "--diff", "main", "--format", "github", ".", cwd=repo)
    assert result.exit_code == 1 and result.stdout.count("::error") == 1


def test_main_moving_on_does_not_matter_merge_base(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "feature.py").write_text("import os\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "feature")
    git(repo, "checkout", "-q", "main")
    (repo / "later.py").write_text(f'K = "{KEYS["openai_project"]}"\n')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "main moves on")
    git(repo, "checkout", "-q", "feature")
    assert codes_and_lines(repo, "--diff", "main", ".") == []


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    with open(repo / "clean.py", "a") as handle:  # unstaged edit
        handle.write(f'TOKEN = "{KEYS["openai_project"]}"\n')
    (repo / "new_module.py").write_text(f'K = "{KEYS["huggingface"]}"\n')  # untracked
    assert codes_and_lines(repo, "--diff", "main", ".") == [("clean.py", "AIL101", 3), ("new_module.py", "AIL101", 1)]
    # and from a subdirectory, paths stay right
    (repo / "pkg").mkdir()
    (repo / "pkg" / "mod.py").write_text(f'K = "{KEYS["groq"]}"\n')
    assert codes_and_lines(repo / "pkg", "--diff", "main", ".") == [("mod.py", "AIL101", 1)]


def test_not_a_repository_and_unknown_ref_are_one_line_errors(
    tmp_path_factory: pytest.TempPathFactory, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(outside.parent))
    (outside / "a.py").write_text("x = 1\n")
    if subprocess.run(["git", "rev-parse"], cwd=outside, capture_output=True).returncode == 0:
        pytest.skip("the temporary directory is inside a git repository")
    result = invoke("check", "--diff", "main", ".", cwd=outside)
    assert result.exit_code == 2 and "is not inside a git repository" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    result = invoke("check", "--diff", "no-such-branch", ".", cwd=repo)
    assert result.exit_code == 2
    assert result.output == "ailint: error: --diff: unknown git revision 'no-such-branch'\n"
    result = invoke("check", "--diff", "--output=x", ".", cwd=repo)
    assert result.exit_code == 2 and "not a git revision" in result.output


def test_parse_diff_hunks_and_quoted_names(tmp_path: Path) -> None:
    patch = (
        b"diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,0 +2,3 @@\n+x\n+y\n+z\n@@ -9 +11 @@\n-a\n+b\n"
        b"@@ -20,2 +22,0 @@\n-gone\n-gone\n"
        b'diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"\n--- "a/caf\\303\\251.py"\n+++ "b/caf\\303\\251.py"\n'
        b"@@ -1 +1 @@\n-a\n+b\n"
        b"diff --git a/old.py b/old.py\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    changed = parse_diff(patch, str(tmp_path))
    a = str((tmp_path / "a.py").resolve())
    assert changed.lines[a] == {2, 3, 4, 11} and changed.deletions[a] == {22}
    assert changed.lines[str((tmp_path / "café.py").resolve())] == {1}
    assert unquote_path(b'"tab\\there\\"q\\""') == b'tab\there"q"'


def test_touches_ranges_and_deletions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = str((tmp_path / "a.py").resolve())
    changed = ChangedLines(lines={path: {5}}, deletions={path: {10}})

    def finding(line: int, end_line: int) -> Finding:
        return Finding("AIL101", "x", "error", "a.py", line, 1, end_line, 2, "m")

    assert changed.touches(finding(5, 5)) and changed.touches(finding(3, 6))
    assert not changed.touches(finding(6, 9)) and not changed.touches(finding(11, 12))
    assert changed.touches(finding(9, 11))  # the statement lost lines in its middle
    assert not changed.touches(finding(10, 10))
