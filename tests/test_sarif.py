"""`--format sarif`: valid against the OASIS SARIF 2.1.0 schema, complete for GitHub code
scanning, secrets redacted, suppressed and baselined results kept — through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import sarif_om

from clihelp import invoke
from keygen import fake_keys
from linter.knowledge.keys import find_keys
from linter.report.sarif import FINGERPRINT_KEY, SRCROOT, help_markdown, to_json
from linter.rules import all_rules, select_rules

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
KEYS = fake_keys(11)


def validate(document: dict) -> None:
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:20])


def sarif_of(*args: str, cwd: Path) -> tuple[dict, str, int]:
    result = invoke("check", "--format", "sarif", *args, cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result.stdout, result.exit_code


@pytest.fixture(scope="module")
def fixtures_sarif() -> tuple[dict, str]:
    document, text, _ = sarif_of("fixtures", cwd=ROOT)
    return document, text


def test_the_schema_is_the_official_one() -> None:
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert (ROOT / "tests" / "sarif" / "LICENSE.md").is_file()


def test_fixtures_report_is_schema_valid(fixtures_sarif) -> None:
    document, _ = fixtures_sarif
    validate(document)
    assert document["version"] == "2.1.0" and document["$schema"].endswith("sarif-schema-2.1.0.json")


def test_fixtures_report_matches_the_json_report(fixtures_sarif) -> None:
    document, _ = fixtures_sarif
    findings = json.loads(invoke("check", "--format", "json", "fixtures", cwd=ROOT).stdout)["findings"]
    (run,) = document["runs"]
    results = [r for r in run["results"] if not r.get("suppressions")]
    assert len(results) == len(findings) > 0
    for result, finding in zip(results, findings):
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert result["ruleId"] == finding["code"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding["code"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": SRCROOT}
        if "cell" in finding:  # notebooks: located in the .ipynb text, the cell position is a property
            assert (result["properties"]["cell"], result["properties"]["cellLine"]) == (finding["cell"], finding["line"])
        else:
            assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
            assert (region["endLine"], region["endColumn"]) == (finding["end_line"], finding["end_column"])
        assert result["level"] == {"error": "error", "warning": "warning", "note": "note"}[finding["severity"]]
        assert result["partialFingerprints"][FINGERPRINT_KEY].startswith(finding["fingerprint"] + ":")


def test_driver_and_rule_descriptors_are_complete(fixtures_sarif) -> None:
    document, _ = fixtures_sarif
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ailint" and driver["version"] and driver["informationUri"].startswith("https://")
    enabled = select_rules(None)
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in enabled]
    for descriptor, rule in zip(driver["rules"], enabled):
        assert descriptor["shortDescription"]["text"] and descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] == rule.documentation()
        assert "### Why is this bad" in descriptor["help"]["markdown"]
        assert descriptor["helpUri"].startswith("https://")
        assert descriptor["defaultConfiguration"]["level"] == rule.severity
        properties = descriptor["properties"]
        assert 0.0 <= float(properties["security-severity"]) <= 10.0
        for tag in rule.tags:
            assert tag in properties["tags"]
            if tag.startswith("CWE-"):
                assert f"external/cwe/cwe-{int(tag[4:]):03d}" in properties["tags"]
    assert run["originalUriBaseIds"][SRCROOT]["uri"].endswith("/")
    assert run["originalUriBaseIds"][SRCROOT]["uri"].startswith("file:///")


def test_files_not_analyzed_are_notifications(fixtures_sarif) -> None:
    document, _ = fixtures_sarif
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    summary = json.loads(invoke("check", "--format", "json", "fixtures", cwd=ROOT).stdout)["summary"]
    notifications = invocation["toolExecutionNotifications"]
    assert len(notifications) == summary["files_not_analyzed"] > 0
    for note in notifications:
        assert note["descriptor"]["id"] == "AIL000" and note["message"]["text"].startswith("file not analyzed: ")
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("fixtures/")


def test_no_whole_secret_anywhere_in_the_log(fixtures_sarif) -> None:
    _, text = fixtures_sarif
    assert find_keys(text) == []
    assert "…" in text  # the redacted forms are there instead


def test_snippets_are_redacted_regions(tmp_path: Path) -> None:
    key = KEYS["openai_project"]
    (tmp_path / "app.py").write_text(f'from openai import OpenAI\nclient = OpenAI(api_key="{key}")\n')
    document, text, status = sarif_of("app.py", cwd=tmp_path)
    assert status == 1 and key not in text and key[8:20] not in text
    validate(document)
    (result,) = document["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["region"]["snippet"]["text"] == f"sk-proj-{key[8:12]}…{key[-2:]}"
    assert location["contextRegion"]["snippet"]["text"] == f'client = OpenAI(api_key="sk-proj-{key[8:12]}…{key[-2:]}")'


def test_suppressed_and_baselined_results_are_kept_with_suppressions(tmp_path: Path) -> None:
    keys = [KEYS["openai_project"], KEYS["anthropic"], KEYS["groq"]]
    (tmp_path / "a.py").write_text(f'A = "{keys[0]}"\nB = "{keys[1]}"  # ailint: ignore[AIL101]\n')
    assert invoke("check", "--write-baseline", "base.json", "a.py", cwd=tmp_path).exit_code == 0
    (tmp_path / "a.py").write_text(f'A = "{keys[0]}"\nB = "{keys[1]}"  # ailint: ignore[AIL101]\nC = "{keys[2]}"\n')
    document, _, status = sarif_of("--baseline", "base.json", "a.py", cwd=tmp_path)
    assert status == 1
    validate(document)
    results = document["runs"][0]["results"]
    kinds = [[s["kind"] for s in r.get("suppressions", [])] for r in results]
    assert kinds == [["external"], ["inSource"], []]
    assert "base.json" in results[0]["suppressions"][0]["justification"]
    # everything hidden: exit 0, and the results are still there
    (tmp_path / "a.py").write_text(f'A = "{keys[0]}"\nB = "{keys[1]}"  # ailint: ignore[AIL101]\n')
    document, _, status = sarif_of("--baseline", "base.json", "a.py", cwd=tmp_path)
    assert status == 0 and len(document["runs"][0]["results"]) == 2


def test_partial_fingerprints_survive_moves_and_number_twins(tmp_path: Path) -> None:
    key = KEYS["groq"]
    source = f'def f():\n    k = "{key}"\n    k2 = "{key}"\n'
    (tmp_path / "m.py").write_text(source)
    before = [r["partialFingerprints"] for r in sarif_of("m.py", cwd=tmp_path)[0]["runs"][0]["results"]]
    (tmp_path / "m.py").write_text("import os\n\n\nX = 1  # unrelated\n\n" + source)
    after = [r["partialFingerprints"] for r in sarif_of("m.py", cwd=tmp_path)[0]["runs"][0]["results"]]
    assert before == after and len(before) == 2
    assert before[0] != before[1]


def test_serializer_uses_schema_property_names() -> None:
    descriptor = sarif_om.ReportingDescriptor(
        id="X1",
        help_uri="https://example.com/",
        default_configuration=sarif_om.ReportingConfiguration(level="error"),
    )
    assert to_json(descriptor) == {
        "id": "X1",
        "helpUri": "https://example.com/",
        "defaultConfiguration": {"level": "error"},
    }


def test_help_markdown_fences_examples() -> None:
    rule = next(r for r in all_rules() if r.code == "AIL101")
    markdown = help_markdown(rule)
    assert markdown.startswith("**AIL101 hardcoded-api-key**")
    assert "```python\nclient = OpenAI(api_key=" in markdown and markdown.count("```") % 2 == 0


# --- Microsoft SARIF Multitool ---------------------------------------------------------------
def _multitool() -> list[str] | None:
    """The Multitool command: $SARIF_MULTITOOL, or `sarif-multitool` on PATH."""
    found = os.environ.get("SARIF_MULTITOOL") or shutil.which("sarif-multitool")
    return [found] if found else None


def test_sarif_multitool_reports_no_errors_or_warnings(tmp_path: Path, fixtures_sarif) -> None:
    command = _multitool()
    if command is None:
        pytest.skip(
            "SARIF Multitool not found: `npm install @microsoft/sarif-multitool` and put "
            "node_modules/.bin on PATH, or set SARIF_MULTITOOL to its path"
        )
    _, text = fixtures_sarif
    log = tmp_path / "ailint.sarif"
    log.write_text(text, encoding="utf-8")
    out = tmp_path / "validation.sarif"
    rule_kinds = "Sarif;Gh"
    if os.path.realpath(command[0]).endswith(".js"):
        rule_kinds = f'"{rule_kinds}"'  # npm's wrapper passes its arguments through a shell
    completed = subprocess.run(
        [*command, "validate", str(log), "--rule-kind", rule_kinds, "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.is_file(), completed.stdout + completed.stderr
    validation = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = [
        f"{r['ruleId']} {r.get('level', 'warning')}: {r['message'].get('text', '')}"
        for run in validation["runs"]
        for r in run.get("results", [])
        if r.get("level", "warning") in ("error", "warning")
    ]
    assert not problems, "\n".join(problems)


def test_notebook_results_point_into_the_notebook_json(tmp_path: Path) -> None:
    """A notebook finding's region is in the .ipynb file's own text; its cell is a property."""
    key = fake_keys(11)["groq"]
    cells = [
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["import os\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
         "source": ["x = 1\n", f'KEY = "{key}"\n']},
    ]
    notebook = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook, indent=1))
    document, output, _ = sarif_of("nb.ipynb", cwd=tmp_path)
    validate(document)
    assert key not in output
    (result,) = document["runs"][0]["results"]
    assert result["properties"]["cell"] == 2 and result["properties"]["cellLine"] == 2
    region = result["locations"][0]["physicalLocation"]["region"]
    raw_lines = (tmp_path / "nb.ipynb").read_text().splitlines()
    assert key[:12] in raw_lines[region["startLine"] - 1]
