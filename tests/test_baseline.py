"""Baselines (SPEC §5): only new findings show; moves and unrelated edits do not resurface
old ones; identical new findings still show; the file is readable and holds no secret."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from clihelp import invoke
from keygen import fake_keys
from linter.knowledge.keys import find_keys

ROOT = Path(__file__).resolve().parent.parent
KEYS = fake_keys(17)


def findings(cwd: Path, *args: str) -> list[dict]:
    result = invoke("check", "--format", "json", *args, cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def copy_fixtures(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "fixtures" / "secrets", project / "secrets")
    return project


def move_block(text: str, start_marker: str, end_marker: str) -> str:
    """Move the lines from `start_marker` up to `end_marker` to the end of the file."""
    start, end = text.index(start_marker), text.index(end_marker)
    return text[:start] + text[end:] + "\n\n" + text[start:end]


def test_write_baseline_then_edit_shows_only_the_new_finding(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path)
    before = findings(project, "secrets")
    assert len(before) > 20

    written = invoke("check", "--write-baseline", ".ailint-baseline.json", "secrets", cwd=project)
    assert written.exit_code == 0 and written.stdout == ""
    assert f"recorded {len(before)} finding(s)" in written.output
    assert findings(project, "--baseline", ".ailint-baseline.json", "secrets") == []

    # move code around and edit unrelated lines in both files
    api = project / "secrets" / "hardcoded_api_key.py"
    text = api.read_text()
    text = move_block(text, "# --- true positives", "# --- hard negatives")
    text = text.replace("import os\n", "import os\nimport sys  # added\n\n\nVERSION = '1.2.3'\n", 1)
    api.write_text(text)
    credential = project / "secrets" / "hardcoded_credential.py"
    text = credential.read_text()
    text = move_block(text, "class Config:", "settings = {")
    text = text.replace('"""AIL102', '"""An edited docstring.\n\nAIL102', 1)
    # ... and add one new violation
    new_key = KEYS["anthropic"]
    text += f'\n\ndef make_client():\n    return anthropic_client(api_key="{new_key}")\n'
    credential.write_text(text)

    after = findings(project, "secrets")
    assert len(after) == len(before) + 1
    (new,) = findings(project, "--baseline", ".ailint-baseline.json", "secrets")
    assert new["code"] == "AIL101" and new["path"] == "secrets/hardcoded_credential.py"
    assert credential.read_text().splitlines()[new["line"] - 1].strip().startswith("return anthropic_client(")


def test_baseline_file_is_sorted_readable_and_secret_free(tmp_path: Path) -> None:
    project = copy_fixtures(tmp_path)
    assert invoke("check", "--write-baseline", "base.json", "secrets", cwd=project).exit_code == 0
    text = (project / "base.json").read_text()
    document = json.loads(text)
    entries = document["findings"]
    assert document["ailint-baseline"] == 1 and document["tool"]["name"] == "ailint"
    assert [(e["path"], e["code"]) for e in entries] == sorted((e["path"], e["code"]) for e in entries)
    assert all(set(e) == {"path", "code", "name", "fingerprint", "count"} for e in entries)
    assert sum(e["count"] for e in entries) == len(findings(project, "secrets"))
    # one entry per line: a re-recorded baseline diffs line by line
    assert len(text.splitlines()) == len(entries) + 6
    assert find_keys(text) == []
    sources = "".join(p.read_text() for p in (project / "secrets").glob("*.py"))
    for key in find_keys(sources):
        assert key.value[-10:] not in text
    for literal in ("9f8Kq2LmZx7Wv4Tn3Rp", "S3cr3t!Pa55w0rd"):  # AIL102 credentials of the fixture
        assert literal in sources and literal not in text


def test_count_aware_identical_finding_in_the_same_file_still_shows(tmp_path: Path) -> None:
    key = KEYS["groq"]
    line = f'    client = Groq(api_key="{key}")\n'
    (tmp_path / "app.py").write_text("def setup():\n" + line + line)
    assert invoke("check", "--write-baseline", "base.json", ".", cwd=tmp_path).exit_code == 0
    entry = json.loads((tmp_path / "base.json").read_text())["findings"]
    assert [e["count"] for e in entry] == [2]
    (tmp_path / "app.py").write_text("def setup():\n" + line + line + line)
    (new,) = findings(tmp_path, "--baseline", "base.json", ".")
    assert new["line"] == 4  # the ones that come first are taken as the recorded ones
    result = invoke("check", "--baseline", "base.json", ".", cwd=tmp_path)
    assert result.exit_code == 1 and "Found 1 finding" in result.stdout


def test_baseline_from_configuration(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text(f'K = "{KEYS["openai_project"]}"\n')
    assert invoke("check", "--write-baseline", ".ailint-baseline.json", ".", cwd=tmp_path).exit_code == 0
    (tmp_path / "ailint.toml").write_text('baseline = ".ailint-baseline.json"\n')
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0
    # relative to the configuration file, not to where ailint runs
    assert invoke("check", "a.py", cwd=tmp_path / "src").exit_code == 0


def test_missing_or_broken_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    result = invoke("check", "--baseline", "nope.json", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output.strip() == "ailint: error: baseline nope.json not found; create it with --write-baseline nope.json"
    (tmp_path / "bad.json").write_text("[1, 2]")
    result = invoke("check", "--baseline", "bad.json", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "not an ailint baseline" in result.output and result.output.count("\n") == 1


def test_editing_around_a_key_on_its_line_keeps_it_baselined(tmp_path: Path) -> None:
    key = KEYS["openai_project"]
    (tmp_path / "a.py").write_text(f'KEY = "{key}"  # TODO rotate\n')
    assert invoke("check", "--write-baseline", "base.json", ".", cwd=tmp_path).exit_code == 0
    (tmp_path / "a.py").write_text(f'import os\n\nOPENAI_KEY: str = "{key}"\n')
    assert findings(tmp_path, "--baseline", "base.json", ".") == []
    # a different key is a new finding
    (tmp_path / "a.py").write_text(f'OPENAI_KEY: str = "{KEYS["openai_svcacct"]}"\n')
    assert len(findings(tmp_path, "--baseline", "base.json", ".")) == 1
