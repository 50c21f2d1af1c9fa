"""Jupyter notebooks: discovery, the virtual module, cell mapping in every format, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keygen import fake_keys
from linter.engine.notebook import NotebookError, read_notebook
from test_cli import invoke

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notebooks"
KEYS = fake_keys(5)


def notebook(*cells: dict) -> str:
    return json.dumps(
        {"cells": list(cells), "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5},
        indent=1,
    )


def code(source: str, outputs: list | None = None) -> dict:
    return {"cell_type": "code", "metadata": {}, "outputs": outputs or [], "source": source.splitlines(keepends=True)}


def test_magics_are_neutralized_in_place() -> None:
    source = "%pip install x\n!ls\nfiles = !ls\nx = 10 % 3\nobj?\nfor i in y:\n    %time f(i)\n"
    module = read_notebook(notebook(code(source)).encode())
    virtual = module.text.splitlines()
    original = source.splitlines()
    assert [len(v) for v in virtual] == [len(o) for o in original]  # nothing moves
    assert virtual[0].startswith("0#") and virtual[1] == "0#s" and virtual[2] == "files = 0#s"
    assert virtual[3] == "x = 10 % 3"
    compile(module.text, "<nb>", "exec")  # the virtual module is Python


def test_cell_magic_bodies() -> None:
    module = read_notebook(notebook(code("%%bash\necho hi\n"), code("%%time\nx = 1\n")).encode())
    assert module.text.splitlines() == ["#%%bash", "#echo hi", "0#time", "x = 1"]
    assert [(o.cell, o.line, o.shift) for o in module.origins] == [(1, 1, 1), (1, 2, 1), (2, 1, 0), (2, 2, 0)]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'{"cells": [', "invalid notebook JSON"),
        (b"[]", "no `cells` list"),
        (b'{"cells": [{"cell_type": "code", "source": 3}]}', "no valid `source`"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"cells": [], "metadata": {"kernelspec": {"language": "R"}}}', "not Python"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_notebooks(data: bytes, reason: str) -> None:
    with pytest.raises(NotebookError, match=reason.replace("`", ".").replace("(", ".")):
        read_notebook(data)


def test_notebook_findings_in_text_and_json(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(
        notebook(
            code("import os\n"),
            {"cell_type": "markdown", "metadata": {}, "source": ["text\n"]},
            code(f'x = 1\nclient = dict(api_key="{KEYS["groq"]}")\n'),
        )
    )
    text = invoke("check", ".", cwd=tmp_path).output
    assert "nb.ipynb:cell 2:2:24: AIL101 Groq API key" in text
    assert KEYS["groq"] not in text
    document = json.loads(invoke("check", "--format", "json", ".", cwd=tmp_path).output)
    (finding,) = document["findings"]
    assert (finding["cell"], finding["line"], finding["column"], finding["fix"]) == (2, 2, 24, None)


def test_key_in_stored_output_is_reported(tmp_path: Path) -> None:
    stream = {"output_type": "stream", "name": "stdout", "text": ["ok\n", f"key={KEYS['xai']}\n"]}
    (tmp_path / "nb.ipynb").write_text(notebook(code("print(1)\n", [stream])))
    document = json.loads(invoke("check", "--format", "json", "nb.ipynb", cwd=tmp_path).output)
    (finding,) = document["findings"]
    assert finding["cell"] == 1 and finding["line"] == 2 and "stored output of cell 1" in finding["message"]


def test_raw_region_points_into_the_ipynb_text(tmp_path: Path) -> None:
    from linter.config import Config
    from linter.engine.runner import Target, analyze_target
    from linter.rules import select_rules

    path = tmp_path / "nb.ipynb"
    path.write_text(notebook(code("import os\n"), code(f'KEY = "{KEYS["google"]}"\n')))
    result = analyze_target(Target("nb.ipynb", path), Config(), select_rules(None))
    (finding,) = result.findings
    assert finding.raw_region is not None
    line, column, end_line, end_column = finding.raw_region
    raw_line = path.read_text().splitlines()[line - 1]
    assert raw_line[column - 1 : end_column - 1] == KEYS["google"] and end_line == line


def test_suppression_inside_a_cell_does_not_leak_to_other_cells(tmp_path: Path) -> None:
    key = KEYS["anthropic"]
    (tmp_path / "nb.ipynb").write_text(
        notebook(code(f'A = "{key}"  # ailint: ignore[AIL101]\n'), code(f'B = "{key[:-4]}zzAA"\n'))
    )
    document = json.loads(invoke("check", "--format", "json", ".", cwd=tmp_path).output)
    assert [(f["cell"], f["line"]) for f in document["findings"]] == [(2, 1)]


def test_include_notebooks_setting(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(notebook(code(f'K = "{KEYS["google"]}"\n')))
    assert invoke("check", ".", cwd=tmp_path).exit_code == 1
    (tmp_path / "ailint.toml").write_text("include-notebooks = false\n")
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0
    assert invoke("check", "nb.ipynb", cwd=tmp_path).exit_code == 1  # named explicitly
    (tmp_path / "ailint.toml").write_text('include-notebooks = "no"\n')
    result = invoke("check", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "'include-notebooks' must be a boolean" in result.output


def test_notebook_from_stdin(tmp_path: Path) -> None:
    content = notebook(code(f'K = "{KEYS["google"]}"\n'))
    result = invoke("check", "-", "--stdin-filename", "nb.ipynb", "--format", "json", input=content, cwd=tmp_path)
    (finding,) = json.loads(result.output)["findings"]
    assert finding["cell"] == 1 and finding["path"] == "nb.ipynb"


def test_fixture_notebooks_in_every_format() -> None:
    """Every format carries the cell (text: `cell N:`; JSON: "cell")."""
    cwd = FIXTURES.parent
    document = json.loads(invoke("check", "--format", "json", "notebooks", cwd=cwd).output)
    cells = {(f["path"], f.get("cell")) for f in document["findings"]}
    assert ("notebooks/key_in_output.ipynb", 1) in cells and ("notebooks/invalid_json.ipynb", None) in cells
    text = invoke("check", "notebooks", cwd=cwd).output
    for finding in document["findings"]:
        cell = f"cell {finding['cell']}:" if finding.get("cell") else ""
        assert f"{finding['path']}:{cell}{finding['line']}:{finding['column']}: {finding['code']}" in text
