"""AIL401 across modules through the real CLI: a run on one file of a project reports for
that file exactly what a whole-project run reports (the single-file facts completion of
engine/project.py), whatever directory the run starts in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from clihelp import invoke
from fixture_harness import FIXTURES

PROJECTS = sorted(p for p in (FIXTURES / "abuse").glob("project_*") if (p / "ailint.toml").is_file())


def ail4(result, cwd: Path) -> list[tuple[str, int, str]]:
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.output)["findings"]
    return sorted(
        (os.path.normpath(cwd / f["path"]), f["line"], f["message"]) for f in findings if f["code"].startswith("AIL4")
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("start", ["project", "repository"])
def test_one_file_run_matches_the_whole_project_run(project: Path, start: str) -> None:
    cwd = project if start == "project" else FIXTURES.parent
    whole = ail4(invoke("check", "--format", "json", str(project.relative_to(cwd) if cwd != project else "."), cwd=cwd), cwd)
    files = sorted(project.rglob("*.py"))
    assert files
    for file in files:
        single = ail4(invoke("check", "--format", "json", str(file.relative_to(cwd)), cwd=cwd), cwd)
        expected = [f for f in whole if f[0] == os.path.normpath(file)]
        assert single == expected, f"{file.relative_to(project)}: one-file run differs from the project run"


def test_the_no_limiter_project_names_the_chain_on_the_def_line() -> None:
    project = FIXTURES / "abuse" / "project_no_limiter"
    result = invoke("check", "--format", "json", "app/routers/documents.py", cwd=project)
    findings = [f for f in json.loads(result.output)["findings"] if f["code"] == "AIL401"]
    assert len(findings) == 1
    finding = findings[0]
    line = (project / "app/routers/documents.py").read_text().splitlines()[finding["line"] - 1]
    assert line.startswith("def summary(")
    assert "`client.chat.completions.create`" in finding["message"]
    assert "`summary` -> `services.summaries.summarize` -> `services.llm.complete`" in finding["message"]


def test_a_global_limiter_elsewhere_covers_a_one_file_run() -> None:
    project = FIXTURES / "abuse" / "project_global_limiter"
    whole = invoke("check", "--format", "json", "--select", "AIL401", ".", cwd=project)
    assert json.loads(whole.output)["findings"] == []
    # main.py is not named: the run still finds its limiter
    single = invoke("check", "--format", "json", "--select", "AIL401", "app/routers/chat.py", cwd=project)
    assert json.loads(single.output)["findings"] == []


def test_without_the_global_limiter_the_router_is_reported(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "abuse" / "project_global_limiter", project)
    (project / "app" / "main.py").write_text("from fastapi import FastAPI\nfrom app.routers import chat\napp = FastAPI()\n")
    result = invoke("check", "--format", "json", "--select", "AIL401", "app/routers/chat.py", cwd=project)
    lines = sorted(f["line"] for f in json.loads(result.output)["findings"])
    assert lines == [9, 14]
