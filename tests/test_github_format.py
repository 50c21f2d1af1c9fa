"""`--format github`: one GitHub Actions workflow command per finding (SPEC §3)."""

from __future__ import annotations

from pathlib import Path

from clihelp import invoke
from keygen import fake_keys
from linter.findings import Finding
from linter.report.github import command, escape_data, escape_property

KEYS = fake_keys(13)


def test_exact_command_through_the_cli(tmp_path: Path) -> None:
    key = KEYS["openai_project"]
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "client.py").write_text(f'from openai import OpenAI\nclient = OpenAI(api_key="{key}")\n')
    result = invoke("check", "--format", "github", ".", cwd=tmp_path)
    assert result.exit_code == 1
    end = 26 + len(key)
    assert result.stdout == (
        f"::error file=app/client.py,line=2,col=26,endLine=2,endColumn={end},title=AIL101 hardcoded-api-key::"
        f"OpenAI API key `sk-proj-{key[8:12]}…{key[-2:]}` is hardcoded; revoke it and load it from the environment\n"
    )
    assert key not in result.output


def test_clean_run_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("import os\nKEY = os.environ['OPENAI_API_KEY']\n")
    result = invoke("check", "--format", "github", ".", cwd=tmp_path)
    assert result.exit_code == 0 and result.stdout == ""


def test_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def _finding(**changes) -> Finding:
    values = dict(code="AIL000", name="file-not-analyzed", severity="warning", path="weird, name:1.py",
                  line=3, column=1, end_line=4, end_column=2, message="line one\nline two: 100%")
    values.update(changes)
    return Finding(**values)


def test_properties_and_message_are_escaped_and_levels_mapped() -> None:
    assert command(_finding()) == (
        "::warning file=weird%2C name%3A1.py,line=3,col=1,endLine=4,endColumn=2,"
        "title=AIL000 file-not-analyzed::line one%0Aline two: 100%25"
    )
    assert command(_finding(severity="note")).startswith("::notice ")
    assert command(_finding(severity="error")).startswith("::error ")


def test_file_name_with_comma_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "a,b.py").write_text(f'K = "{KEYS["groq"]}"\n')
    result = invoke("check", "--format", "github", "a,b.py", cwd=tmp_path)
    assert result.stdout.startswith("::error file=a%2Cb.py,line=1,")
