"""Every fixture reports exactly what its `# expect:` annotations say (SPEC §6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixture_harness import FIXTURES, compare, describe, expectations, fixture_units
from linter.config import Config, load_config
from linter.discovery import Discovery
from linter.engine.runner import run, targets_for
from linter.rules import select_rules


def run_unit(unit: Path):
    if unit.is_dir():
        config = load_config(None, str(unit))
        files = Discovery(config).files([str(unit)])
    else:
        config, files = Config(root=str(FIXTURES)), [unit]
    rules = select_rules(config.select, config.extend_select, config.ignore)
    return run(targets_for(files), config, rules, jobs=1), files


@pytest.mark.parametrize("unit", fixture_units(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture(unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    outcome, files = run_unit(unit)
    expected = [e for file in files for e in expectations(file, os.path.relpath(file, FIXTURES))]
    missing, extra = compare(expected, outcome.findings)
    assert not missing and not extra, "fixture annotations do not match:\n" + describe(missing, extra)


def test_every_rule_has_a_fixture() -> None:
    from linter.rules import all_rules

    annotated = set()
    for unit in fixture_units():
        for file in (unit.rglob("*.py") if unit.is_dir() else [unit]):
            annotated.update(e.code for e in expectations(file, str(file)))
    missing = [rule.code for rule in all_rules() if rule.code not in annotated]
    assert not missing, f"rules without an `# expect:` fixture: {missing}"


def test_harness_reports_missing_and_extra(tmp_path: Path) -> None:
    """The harness itself can fail: a wrong annotation and an unannotated finding are both caught."""
    from linter.findings import Finding

    source = tmp_path / "f.py"
    source.write_text("x = 1  # expect: AIL101\n# expect: AIL102\ny = 2\n")
    found = expectations(source, "f.py")
    assert [(e.line, e.code) for e in found] == [(1, "AIL101"), (3, "AIL102")]
    stray = Finding("AIL201", "insecure-endpoint", "error", "f.py", 3, 1, 3, 5, "m")
    missing, extra = compare(found, [stray])
    assert len(missing) == 2 and extra == [stray]
