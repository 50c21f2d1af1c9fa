"""Automatic fixes: fixture pairs, idempotence, byte-for-byte preservation, the CLI."""

from __future__ import annotations

import codecs
import difflib
import json
import shutil
from pathlib import Path

import pytest

from fixture_harness import FIXTURES
from keygen import fake_keys
from linter.config import Config
from linter.engine.analyze import analyze_source
from linter.fixer import fix_source
from linter.rules import select_rules
from test_cli import invoke

RULES = select_rules(None)
KEYS = fake_keys(9)
PAIRS = sorted(FIXTURES.rglob("*.fixed.py"))


def original_of(fixed: Path) -> Path:
    return fixed.with_name(fixed.name.replace(".fixed.py", ".py"))


def fix(text: str, unsafe: bool = True, path: str = "f.py") -> str:
    return fix_source(path, text, Config(), RULES, unsafe)[0]


def findings(text: str, path: str = "f.py"):
    return analyze_source(path, text.encode(), Config(), RULES).findings


def test_there_are_fixture_pairs() -> None:
    assert {p.name for p in PAIRS} >= {"api_key_env.fixed.py", "credential_env.fixed.py"}


@pytest.mark.parametrize("fixed", PAIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_pair(fixed: Path) -> None:
    source = original_of(fixed).read_text(encoding="utf-8")
    expected = fixed.read_text(encoding="utf-8")
    assert fix(source) == expected
    # idempotent: fixing the fixed file changes nothing, and nothing fixable is left
    assert fix(expected) == expected
    assert not [f for f in findings(expected) if f.fix]
    # the fixed findings are gone, the others stay
    before = [f for f in findings(source) if not f.fix]
    after = findings(expected)
    assert [(f.code, f.message) for f in after] == [(f.code, f.message) for f in before]


@pytest.mark.parametrize("fixed", PAIRS, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_only_the_fixed_ranges_change(fixed: Path) -> None:
    """Outside the replaced literals (and one added `import os` line), every line is identical."""
    before = original_of(fixed).read_text(encoding="utf-8").splitlines(keepends=True)
    after = fixed.read_text(encoding="utf-8").splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            assert after[j1:j2] == ["import os\n"]
        elif tag == "replace":
            assert i2 - i1 == j2 - j1
            for old, new in zip(before[i1:i2], after[j1:j2]):
                assert 'os.environ["' in new and "os.environ" not in old
                # the line around the literal is untouched: same start and end
                start = new.index('os.environ["')
                assert old[:start] == new[:start]
                tail = new[new.index('"]', start) + 2 :]
                assert old.endswith(tail)
        else:
            assert tag == "equal"


def test_bytes_outside_the_fix_survive_crlf_bom_tabs_and_no_final_newline() -> None:
    key = KEYS["anthropic"]
    text = (
        "# -*- coding: utf-8 -*-\r\n"
        '"""Dokumentation: Schlüssel."""\r\n'
        "\r\n"
        "import sys\t  # trailing spaces   \r\n"
        f"K = (  '{key}'  )  # note\r\n"
        "x = [1,\r\n\t2]"
    )
    fixed = fix(text)
    assert fixed == text.replace(f"'{key}'", 'os.environ["ANTHROPIC_API_KEY"]').replace(
        "\r\nimport sys", "\r\nimport os\r\nimport sys"
    )
    assert fix(fixed) == fixed


def test_existing_import_is_reused_and_fixes_in_one_file_share_it() -> None:
    text = f'import os.path\nA = "{KEYS["groq"]}"\nB = "{KEYS["xai"]}"\n'
    assert fix(text) == 'import os.path\nA = os.environ["GROQ_API_KEY"]\nB = os.environ["XAI_API_KEY"]\n'


def test_unsafe_fixes_need_the_flag() -> None:
    text = f'A = "{KEYS["groq"]}"\n'
    assert fix(text, unsafe=False) == text
    assert findings(text)[0].fix["applicability"] == "unsafe"


def test_suppressed_findings_are_not_fixed() -> None:
    text = f'A = "{KEYS["groq"]}"  # ailint: ignore[AIL101]\n'
    assert fix(text) == text


def test_cli_fix_writes_and_reruns(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "fixes" / "api_key_env.py", tmp_path / "app.py")
    shutil.copy(FIXTURES / "fixes" / "api_key_env.py", tmp_path / "nb_source.py")
    (tmp_path / "app.py").write_bytes(codecs.BOM_UTF8 + (tmp_path / "app.py").read_bytes())
    before = json.loads(invoke("check", "--format", "json", "app.py", cwd=tmp_path).output)
    fixable = [f for f in before["findings"] if f["fix"]]
    assert fixable and all(f["fix"]["applicability"] == "unsafe" and f["fix"]["edits"] for f in fixable)

    text = invoke("check", "app.py", cwd=tmp_path).output
    assert "hidden fixes can be enabled with the `--unsafe-fixes` option" in text
    marked = invoke("check", "--unsafe-fixes", "app.py", cwd=tmp_path).output
    assert marked.count("[*]") == len(fixable) + 1 and "fixable with the `--fix` option" in marked

    assert invoke("check", "--fix", "app.py", cwd=tmp_path).exit_code == 1  # safe only: nothing to do
    assert (tmp_path / "app.py").read_bytes()[3:] == (FIXTURES / "fixes" / "api_key_env.py").read_bytes()

    result = invoke("check", "--fix", "--unsafe-fixes", "--format", "json", "app.py", cwd=tmp_path)
    after = json.loads(result.stdout)
    assert len(after["findings"]) == len(before["findings"]) - len(fixable)
    data = (tmp_path / "app.py").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:] == (FIXTURES / "fixes" / "api_key_env.fixed.py").read_bytes()


def test_diff_preview_writes_nothing_and_shows_no_secret(tmp_path: Path) -> None:
    source = (FIXTURES / "fixes" / "credential_env.py").read_text()
    (tmp_path / "app.py").write_text(source)
    result = invoke("check", "--diff-fixes", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert result.exit_code == 1
    assert (tmp_path / "app.py").read_text() == source
    assert "+GATEWAY_TOKEN = os.environ[\"GATEWAY_TOKEN\"]" in result.output
    for secret in ("9f8Kq2LmZx7Wv4Tn3RbYp6", "Hx7Lp2Qw9Zr4Mn8Vb3Kt", "Lp2RwQ8zN4xTk7Vm3Yb6", "Kp3Wz8Lq2Xn7Rv4Mt9Yc"):
        assert secret not in result.output
    keyed = (FIXTURES / "fixes" / "api_key_env.py").read_text()
    (tmp_path / "keys.py").write_text(keyed)
    output = invoke("check", "--diff-fixes", "--unsafe-fixes", "keys.py", cwd=tmp_path).output
    for key in fake_keys(21).values():
        assert key not in output and key[-12:] not in output
    clean = invoke("check", "--diff-fixes", "--unsafe-fixes", "app.py", cwd=tmp_path)  # still unfixed
    assert clean.exit_code == 1


def test_notebooks_are_not_fixed(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": [f'K = "{KEYS["groq"]}"\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb))
    before = (tmp_path / "nb.ipynb").read_text()
    result = invoke("check", "--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    assert result.exit_code == 1 and (tmp_path / "nb.ipynb").read_text() == before


def test_fix_refuses_stdin() -> None:
    assert invoke("check", "-", "--fix", input="x = 1\n").exit_code == 2
