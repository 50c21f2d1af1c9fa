"""The command line, through click's runner and through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clihelp import invoke as invoke_in
from keygen import fake_keys
from linter import __version__
from linter.cli import cli

ROOT = Path(__file__).resolve().parent.parent
KEYS = fake_keys(7)


def invoke(*args: str, input: str | None = None, cwd: Path | None = None):
    if cwd is None:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return invoke_in(*args, cwd=cwd, input=input)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "client.py").write_text(
        f'from openai import OpenAI\nclient = OpenAI(api_key="{KEYS["openai_project"]}")\n'
    )
    (tmp_path / "app" / "clean.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    return tmp_path


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"ailint {__version__}"


def test_findings_exit_1_and_text_format(project: Path) -> None:
    result = invoke("check", ".", cwd=project)
    assert result.exit_code == 1
    assert "app/client.py:2:26: AIL101 OpenAI API key" in result.output
    assert "^^^" in result.output and "hint:" in result.output
    assert result.output.rstrip().endswith("Found 1 finding (1 error) in 2 files.")


def test_clean_exit_0(project: Path) -> None:
    result = invoke("check", "app/clean.py", cwd=project)
    assert result.exit_code == 0
    assert "No findings in 1 file." in result.output


def test_exit_zero(project: Path) -> None:
    assert invoke("check", "--exit-zero", ".", cwd=project).exit_code == 0


def test_json_format_matches_spec(project: Path) -> None:
    result = invoke("check", "--format", "json", ".", cwd=project)
    document = json.loads(result.output)
    assert document["tool"] == {"name": "ailint", "version": __version__}
    (finding,) = document["findings"]
    assert set(finding) == {
        "code", "name", "severity", "path", "line", "column", "end_line", "end_column", "message", "fingerprint", "fix",
    }
    assert finding["path"] == "app/client.py" and finding["line"] == 2 and finding["column"] == 26
    assert finding["end_column"] == 26 + len(KEYS["openai_project"])
    summary = document["summary"]
    assert summary["files_scanned"] == 2 and summary["findings"] == 1 and summary["by_code"] == {"AIL101": 1}
    assert summary["files_not_analyzed"] == 0 and isinstance(summary["duration_s"], float)


def test_output_file(project: Path) -> None:
    result = invoke("check", "--format", "json", "--output", "report.json", ".", cwd=project)
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((project / "report.json").read_text())["summary"]["findings"] == 1


def test_select_and_ignore(project: Path) -> None:
    assert invoke("check", "--ignore", "AIL101", ".", cwd=project).exit_code == 0
    assert invoke("check", "--select", "AIL102", ".", cwd=project).exit_code == 0
    assert invoke("check", "--select", "AIL1", ".", cwd=project).exit_code == 1
    assert invoke("check", "--select", "hardcoded-api-key", ".", cwd=project).exit_code == 1
    assert invoke("check", "--ignore", "secrets", ".", cwd=project).exit_code == 2  # not a rule


def test_unknown_selector_is_usage_error(project: Path) -> None:
    result = invoke("check", "--select", "AIL999", ".", cwd=project)
    assert result.exit_code == 2
    assert "unknown rule selector 'AIL999'" in result.output


def test_config_file_select_and_errors(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.ailint]\nignore = ["AIL101"]\n')
    assert invoke("check", ".", cwd=project).exit_code == 0
    (project / "pyproject.toml").write_text('[tool.ailint]\nignroe = ["AIL101"]\n')
    result = invoke("check", ".", cwd=project)
    assert result.exit_code == 2
    assert "unknown key 'ignroe'" in result.output and "did you mean 'ignore'" in result.output
    assert "pyproject.toml" in result.output
    (project / "pyproject.toml").write_text('[tool.ailint]\nselect = "AIL101"\n')
    result = invoke("check", ".", cwd=project)
    assert result.exit_code == 2 and "'select' must be a list of strings" in result.output
    (project / "pyproject.toml").write_text('[tool.ailint.pii]\nextend-name = ["mrn"]\n')
    result = invoke("check", ".", cwd=project)
    assert result.exit_code == 2 and "pii.'extend-name'" in result.output


def test_ailint_toml_and_per_file_ignores(project: Path) -> None:
    (project / "ailint.toml").write_text('[per-file-ignores]\n"app/client.py" = ["AIL101"]\n')
    assert invoke("check", ".", cwd=project).exit_code == 0


def test_exclude_and_gitignore(project: Path) -> None:
    (project / "ailint.toml").write_text('exclude = ["app/client.py"]\n')
    assert invoke("check", ".", cwd=project).exit_code == 0
    (project / "ailint.toml").unlink()
    (project / "app" / ".gitignore").write_text("client.py\n")
    assert invoke("check", ".", cwd=project).exit_code == 0
    # an explicit file argument is always checked
    assert invoke("check", "app/client.py", cwd=project).exit_code == 1


def test_stdin(project: Path) -> None:
    source = (project / "app" / "client.py").read_text()
    result = invoke("check", "-", "--stdin-filename", "app/client.py", "--format", "json", input=source, cwd=project)
    document = json.loads(result.output)
    assert result.exit_code == 1 and document["findings"][0]["path"] == "app/client.py"
    on_disk = json.loads(invoke("check", "app/client.py", "--format", "json", cwd=project).output)
    assert [f["fingerprint"] for f in document["findings"]] == [f["fingerprint"] for f in on_disk["findings"]]


def test_missing_path_is_an_error(project: Path) -> None:
    result = invoke("check", "nope.py", cwd=project)
    assert result.exit_code == 2 and "nope.py" in result.output


def test_suppression_comments(tmp_path: Path) -> None:
    key = KEYS["anthropic"]
    (tmp_path / "a.py").write_text(
        f'A = "{key}"  # ailint: ignore[AIL101]\n'
        f'B = "{key[:-2]}xyAA"  # noqa: AIL101\n'
        f'C = "{key[:-4]}wvAA"  # ailint: ignore\n'
        f'D = "{key[:-4]}utAA"  # ailint: ignore[AIL102]\n'
        "E = dict(\n"
        f'    api_key="{key[:-4]}srAA",\n'
        ")  # ailint: ignore[hardcoded-api-key]\n"
    )
    result = json.loads(invoke("check", "--format", "json", "a.py", cwd=tmp_path).output)
    assert [f["line"] for f in result["findings"]] == [4]
    (tmp_path / "b.py").write_text(f'# ailint: skip-file\nA = "{key}"\n')
    assert invoke("check", "b.py", cwd=tmp_path).exit_code == 0


def test_rules_command() -> None:
    result = invoke("rules", "--format", "json")
    catalogue = {r["code"]: r for r in json.loads(result.output)}
    assert {"AIL000", "AIL101", "AIL102"} <= set(catalogue)
    assert catalogue["AIL101"]["name"] == "hardcoded-api-key" and catalogue["AIL101"]["default"] is True
    text = invoke("rules").output
    assert "AIL101  hardcoded-api-key" in text


def test_explain() -> None:
    result = invoke("explain", "AIL101")
    assert result.exit_code == 0
    for section in ("What it does", "Why is this bad", "Example", "Use instead", "References"):
        assert section in result.output
    assert invoke("explain", "hardcoded-credential").exit_code == 0
    assert invoke("explain", "AIL999").exit_code == 2


def test_unparseable_files_do_not_stop_the_run(tmp_path: Path) -> None:
    key = KEYS["groq"]
    (tmp_path / "bad.py").write_text(f'def f(:\n    pass\nK = "{key}"\n')
    (tmp_path / "latin.py").write_bytes(b'name = "Jos\xe9"\n')
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "good.py").write_text(f'K = "{KEYS["xai"]}"\n')
    document = json.loads(invoke("check", "--format", "json", ".", cwd=tmp_path).output)
    found = sorted((f["path"], f["code"]) for f in document["findings"])
    assert found == [
        ("bad.py", "AIL000"), ("bad.py", "AIL101"), ("blob.py", "AIL000"), ("good.py", "AIL101"), ("latin.py", "AIL000"),
    ]
    assert document["summary"]["files_not_analyzed"] == 3
    reasons = {f["path"]: f["message"] for f in document["findings"] if f["code"] == "AIL000"}
    assert "syntax error" in reasons["bad.py"] and "NUL" in reasons["blob.py"] and "utf-8" in reasons["latin.py"]


def test_no_key_is_printed_whole(tmp_path: Path) -> None:
    lines = [f'K{i} = "{key}"' for i, key in enumerate(KEYS.values())]
    (tmp_path / "keys.py").write_text("\n".join(lines) + "\n")
    for fmt in ("text", "json"):
        output = invoke("check", "--format", fmt, ".", cwd=tmp_path).output
        assert output.count("AIL101") >= len(KEYS)
        for key in KEYS.values():
            assert key not in output
            assert key[-12:] not in output


def test_real_subprocess(project: Path) -> None:
    command = [sys.executable, "-m", "linter", "check", "--format", "json", "."]
    completed = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["summary"]["findings"] == 1
    bad = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--config", "missing.toml", "."],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_no_color_when_not_a_tty(project: Path) -> None:
    assert "\x1b[" not in invoke("check", ".", cwd=project).output
