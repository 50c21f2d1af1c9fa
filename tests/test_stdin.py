"""Editor use: `ailint check - --stdin-filename PATH` answers as if PATH were checked on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixture_harness import FIXTURES
from keygen import fake_keys
from test_cli import invoke

KEYS = fake_keys(13)


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


@pytest.mark.parametrize(
    "fixture",
    ["secrets/hardcoded_api_key.py", "secrets/hardcoded_credential.py", "fixes/api_key_env.py", "notebooks/keys_in_cells.ipynb"],
)
def test_stdin_gives_the_same_findings_as_the_file(fixture: str) -> None:
    data = (FIXTURES / fixture).read_text(encoding="utf-8")
    from_stdin = invoke("check", "-", "--stdin-filename", fixture, "--format", "json", input=data, cwd=FIXTURES)
    on_disk = invoke("check", fixture, "--format", "json", cwd=FIXTURES)
    assert from_stdin.exit_code == on_disk.exit_code == 1
    assert findings(from_stdin) == findings(on_disk)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    sub = tmp_path / "service"
    (sub / "legacy").mkdir(parents=True)
    (sub / "generated").mkdir()
    (sub / "ailint.toml").write_text('exclude = ["generated/"]\n[per-file-ignores]\n"legacy/**" = ["AIL101"]\n')
    return tmp_path


def test_stdin_uses_the_configuration_of_its_path(project: Path) -> None:
    source = f'KEY = "{KEYS["groq"]}"\n'
    # the nearest config of service/legacy/old.py is service/ailint.toml, even from the parent directory
    ignored = invoke("check", "-", "--stdin-filename", "service/legacy/old.py", input=source, cwd=project)
    assert ignored.exit_code == 0, ignored.output
    reported = invoke("check", "-", "--stdin-filename", "service/app.py", "--format", "json", input=source, cwd=project)
    assert [f["path"] for f in findings(reported)] == ["service/app.py"]


def test_an_explicitly_named_stdin_file_is_not_excluded(project: Path) -> None:
    source = f'KEY = "{KEYS["groq"]}"\n'
    result = invoke("check", "-", "--stdin-filename", "service/generated/x.py", input=source, cwd=project)
    assert result.exit_code == 1


def test_absolute_stdin_filename_is_reported_relative(project: Path) -> None:
    source = f'KEY = "{KEYS["groq"]}"\n'
    absolute = str(project / "service" / "app.py")
    result = invoke("check", "-", "--stdin-filename", absolute, "--format", "json", input=source, cwd=project)
    assert [f["path"] for f in findings(result)] == ["service/app.py"]
