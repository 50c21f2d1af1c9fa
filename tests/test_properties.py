"""Property-based tests (hypothesis; programs from hypothesmith's Python grammar strategy).

- For any generated module (and any bytes at all), the analysis does not raise, every
  finding lies inside the file, and two runs give the same result.
- For any generated key of every supported provider format, in any of the places a key
  can hide, the key is found, and no output shows it whole. The outputs are a table
  (OUTPUTS): a new format (SARIF, GitHub annotations, the baseline) is one more entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keygen import fake_keys
from linter.config import Config
from linter.engine.analyze import analyze_source
from linter.engine.runner import RunResult, Target, run
from linter.engine.source import SourceText
from linter.findings import FileResult
from linter.rules import all_rules, select_rules

RULES = all_rules()  # every rule, default or not
CONFIG = Config()
EXAMPLES = int(os.environ.get("AILINT_HYPOTHESIS_EXAMPLES", "150"))
COMMON = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def check_inside(data: bytes, result: FileResult) -> None:
    from linter.engine.source import DecodeError, decode_source

    try:
        text = decode_source(data)
    except DecodeError:
        text = data.decode("latin-1")
    source = SourceText(text)
    for finding in result.findings:
        assert 1 <= finding.line <= finding.end_line <= source.line_count, finding
        assert finding.column >= 1 and finding.end_column >= 1, finding
        assert finding.column - 1 <= len(source.line(finding.line)), finding
        assert finding.end_column - 1 <= len(source.line(finding.end_line)), finding
        if finding.line == finding.end_line:
            assert finding.column <= finding.end_column, finding


def analyze_twice(data: bytes) -> FileResult:
    first = analyze_source("generated.py", data, CONFIG, RULES)
    second = analyze_source("generated.py", data, CONFIG, RULES)
    assert first.to_dict() == second.to_dict()
    check_inside(data, first)
    return first


@COMMON
@given(hypothesmith.from_grammar())
def test_generated_modules(source: str) -> None:
    analyze_twice(source.encode("utf-8", "surrogatepass"))


@COMMON
@given(hypothesmith.from_node())
def test_generated_syntax_trees(source: str) -> None:
    analyze_twice(source.encode("utf-8", "surrogatepass"))


@COMMON
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    analyze_twice(data)


@COMMON
@given(
    st.lists(
        st.sampled_from(
            ["api_key = ", "'", '"', '"""', "f'{", "}'", "(", ")", "[", "]", "\\\n", "\n", "\r\n", "\r", "#", " ",
             "\t", "def f(", "):\n    ", "sk-", "sk-proj-", "AIza", "token=", "\x0c", "\ufeff", "é", "\\", "b'"]
        ),
        max_size=60,
    )
)
def test_token_soup(parts: list[str]) -> None:
    """Fragments of Python and of keys, glued at random: the shapes that break tokenizers."""
    analyze_twice("".join(parts).encode("utf-8"))


# --- keys -------------------------------------------------------------------------------------

#: where a key can hide, and the line it is then on
PLACES: dict[str, Callable[[str], tuple[str, int]]] = {
    "assignment": lambda k: (f'import os\nAPI_KEY = "{k}"\n', 2),
    "keyword": lambda k: (f'from openai import OpenAI\nclient = OpenAI(\n    api_key="{k}",\n)\n', 3),
    "comment": lambda k: (f"x = 1\n# old key: {k}\n", 2),
    "fstring": lambda k: (f'headers = {{"Authorization": f"Bearer {k}"}}\n', 1),
    "bytes": lambda k: (f'KEY = b"{k}"\n', 1),
    "docstring": lambda k: (f'def f():\n    """Use {k} here."""\n', 2),
    "broken_file": lambda k: (f'KEY = "{k}"\ndef broken(:\n', 1),
    # split where neither piece is a key of its own (a longer head may be one: reported twice)
    "split": lambda k: (f'KEY = ("{k[:10]}"\n       "{k[10:]}")\n', 1),
}


def _text(run_result: RunResult) -> str:
    from linter.report.text import render

    return render(run_result, RULES, False)


def _json(run_result: RunResult) -> str:
    from linter.report.json_report import render

    return render(run_result, RULES, False)


def _cache(run_result: RunResult) -> str:
    return "\n".join(json.dumps(r.to_dict()) for r in run_result.results)


def _baseline(run_result: RunResult) -> str:
    import tempfile

    from linter.baseline import write_baseline

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "baseline.json")
        write_baseline(path, run_result.findings)
        return Path(path).read_text(encoding="utf-8")


#: every output a finding reaches (SARIF and GitHub annotations come from the reporter table)
OUTPUTS: dict[str, Callable[[RunResult], str]] = {
    "text": _text, "json": _json, "cache": _cache, "baseline": _baseline,
}


def _outputs_with_optional(run_result: RunResult) -> dict[str, str]:
    shown = {name: render(run_result) for name, render in OUTPUTS.items()}
    try:  # formats that other parts of ailint add register themselves with the reporter table
        from linter.report import FORMATS, reporter

        for name in FORMATS:
            if name not in shown:
                shown[name] = reporter(name)(run_result, RULES, False)
    except Exception as exc:  # pragma: no cover - a reporter that breaks is a failure too
        raise AssertionError(f"reporter failed: {exc}") from exc
    return shown


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    provider=st.sampled_from(sorted(fake_keys(0))),
    place=st.sampled_from(sorted(PLACES)),
)
def test_every_key_is_found_and_never_shown_whole(seed: int, provider: str, place: str) -> None:
    key = fake_keys(seed)[provider]
    source, line = PLACES[place](key)
    target = Target("app/keys.py", None, source.encode())
    outcome = run([target], CONFIG, select_rules(None), jobs=1, isolate=False)
    found = [f for f in outcome.findings if f.code == "AIL101"]
    assert [f.line for f in found] == [line], (provider, place, outcome.findings)
    for name, shown in _outputs_with_optional(outcome).items():
        assert key not in shown, f"{provider} key shown whole in {name} output ({place})"


def test_key_outputs_through_the_cli_and_cache(tmp_path: Path) -> None:
    """The same through the real CLI: stdout of every format, --output, and the cache directory."""
    import subprocess
    import sys

    keys = fake_keys(99)
    for i, (provider, key) in enumerate(sorted(keys.items())):
        source, _ = PLACES[sorted(PLACES)[i % len(PLACES)]](key)
        (tmp_path / f"{provider}.py").write_text(source)
    from linter.report import FORMATS

    cache = tmp_path / ".cache"
    for output_format in FORMATS:
        proc = subprocess.run(
            [sys.executable, "-m", "linter", "check", "--format", output_format, "--cache-dir", str(cache),
             "--output", str(tmp_path / f"report.{output_format}"), "--verbose", "."],
            cwd=tmp_path, capture_output=True, timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        written = [proc.stdout, proc.stderr, (tmp_path / f"report.{output_format}").read_bytes()]
        written += [p.read_bytes() for p in cache.rglob("*") if p.is_file()]
        for key in keys.values():
            assert all(key.encode() not in blob for blob in written), output_format
        report = (tmp_path / f"report.{output_format}").read_text()
        assert report.count("AIL101") >= len(keys)


@pytest.mark.parametrize("provider", sorted(fake_keys(0)))
def test_each_provider_format_is_found(provider: str) -> None:
    key = fake_keys(1234)[provider]
    result = analyze_source("k.py", f'KEY = "{key}"\n'.encode(), CONFIG, RULES)
    assert [f.code for f in result.findings] == ["AIL101"]


# --- the unvalidated parse (engine/analyze.py `parse_module`) builds libcst's own tree -------

def parse_both_ways(source: str) -> None:
    import libcst as cst

    from linter.engine.analyze import parse_module

    outcomes = []
    for parse in (cst.parse_module, parse_module):
        try:
            outcomes.append(parse(source))
        except Exception as exc:  # the same error either way, whatever it is
            outcomes.append(type(exc))
    validated, unvalidated = outcomes
    if isinstance(validated, cst.Module):
        assert isinstance(unvalidated, cst.Module) and unvalidated.deep_equals(validated)
        assert unvalidated.code == validated.code
    else:
        assert unvalidated == validated
    # validation is back on for trees built by hand
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


@COMMON
@given(hypothesmith.from_grammar())
def test_unvalidated_parse_of_generated_modules(source: str) -> None:
    parse_both_ways(source)


@COMMON
@given(st.text(alphabet="def(x, *, y=1, /, **k):\n lambda: async await f'{}' = := [] ; # \\ @", max_size=80))
def test_unvalidated_parse_of_broken_code(source: str) -> None:
    parse_both_ways(source)


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).resolve().parent.parent / "fixtures").rglob("*.py")), ids=lambda p: p.name
)
def test_unvalidated_parse_of_the_fixtures(path: Path) -> None:
    parse_both_ways(path.read_text(encoding="utf-8", errors="replace"))


# --- literal strings: the quick path (no backslash) equals Python's evaluation -----------------

_PREFIXES = ["", "r", "R", "u", "U", "b", "B", "br", "Rb", "rb"]
_QUOTES = ["'", '"', "'''", '"""']


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_PREFIXES), st.sampled_from(_QUOTES),
       st.text(alphabet=st.sampled_from(list("ab ~'\"\\\r\nxé{}0")), max_size=12))
def test_literal_string_equals_python(prefix: str, quote: str, body: str) -> None:
    import ast
    import warnings

    import libcst as cst

    from linter.engine.semantics import literal_string

    source = f"{prefix}{quote}{body}{quote}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `"\\{"`: an invalid escape warns, and still evaluates
        try:
            expected = ast.literal_eval(source)
            node = cst.parse_expression(source)
        except (SyntaxError, ValueError, cst.ParserSyntaxError):
            return  # not a literal (an unterminated quote, a non-ASCII byte)
        if not isinstance(node, cst.SimpleString):
            return
        if isinstance(expected, bytes):
            expected = expected.decode("latin-1")
        assert literal_string(node) == expected
