"""Hostile input is normal input (SPEC §9, issue 8): every case runs the real CLI in a
subprocess on inputs built here, and must end in bounded time with exit 0 or 1, valid JSON,
the right AIL000 finding — and every other file of the same run still analyzed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keygen import fake_keys

KEY = fake_keys(11)["anthropic"]
#: every case must finish well within this (the default per-file budget is 30 s)
CASE_SECONDS = 90


def ailint(cwd: Path, *args: str, timeout: float = CASE_SECONDS) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", *args],
        cwd=cwd, capture_output=True, timeout=timeout, env=env,
    )


def scan(cwd: Path, *args: str, timeout: float = CASE_SECONDS) -> tuple[dict, list[dict]]:
    """Run `ailint check --format json --no-cache ARGS` and check the invariants of every run."""
    started = time.monotonic()
    proc = ailint(cwd, "--format", "json", "--no-cache", *(args or (".",)), timeout=timeout)
    assert time.monotonic() - started < timeout
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
    document = json.loads(proc.stdout)
    return document, document["findings"]


def with_good_file(directory: Path) -> None:
    """A normal file beside the hostile one: it must still be analyzed (its key found)."""
    (directory / "good.py").write_text(f'import anthropic\nclient = anthropic.Anthropic(api_key="{KEY}")\n')


def assert_good_analyzed(findings: list[dict]) -> None:
    good = [f for f in findings if f["path"] == "good.py"]
    assert [f["code"] for f in good] == ["AIL101"], good
    assert good[0]["line"] == 2


def ail000(findings: list[dict], path: str) -> dict:
    matches = [f for f in findings if f["path"] == path and f["code"] == "AIL000"]
    assert len(matches) == 1, findings
    return matches[0]


def assert_no_key_in(proc_output: str) -> None:
    assert KEY not in proc_output


# --- syntax ------------------------------------------------------------------------------

SYNTAX_ERRORS = {
    "unclosed_paren.py": ("x = foo(1,\ny = 2\n", 1),
    "bad_def.py": ("def broken(:\n    pass\n", 1),
    "bad_indent.py": ("def f():\nreturn 1\n", 2),
    "unterminated.py": ("a = 1\ns = 'abc\n", 2),
    "stray_token.py": ("a = 1\nb = 2 $ 3\n", 2),
    "tabs_spaces.py": ("if True:\n        x = 1\n\ty = 2\n", 3),
    "walrus_misuse.py": ("x := 1\n", 1),
}


def test_syntax_errors(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    for name, (source, _) in SYNTAX_ERRORS.items():
        (tmp_path / name).write_text(source)
    document, findings = scan(tmp_path)
    for name, (_, line) in SYNTAX_ERRORS.items():
        finding = ail000(findings, name)
        assert "syntax error" in finding["message"] or "indent" in finding["message"], finding
        assert finding["line"] == line, finding
    assert_good_analyzed(findings)
    assert document["summary"]["files_not_analyzed"] == len(SYNTAX_ERRORS)


def test_syntax_error_after_a_backslash_continuation_is_placed_on_its_physical_line(tmp_path: Path) -> None:
    """CPython counts the offset from the logical line's start (found by test_properties)."""
    with_good_file(tmp_path)
    (tmp_path / "joined.py").write_text("api_key = \\\n\u00e9api_key = ", encoding="utf-8")
    _, findings = scan(tmp_path)
    finding = ail000(findings, "joined.py")
    assert (finding["line"], finding["column"]) == (2, 1), finding
    assert_good_analyzed(findings)


def test_python2_code(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "py2.py").write_text(
        "import urllib2\nprint 'hello'\ntry:\n    pass\nexcept Exception, e:\n    pass\nexec 'x = 1'\n"
    )
    _, findings = scan(tmp_path)
    assert "syntax error" in ail000(findings, "py2.py")["message"]
    assert_good_analyzed(findings)


# --- bytes and encodings ------------------------------------------------------------------


def test_nul_byte_still_gets_the_raw_text_scan(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "nul.py").write_bytes(b"x = 1\x00\ny = '" + KEY.encode() + b"'\n")
    _, findings = scan(tmp_path)
    assert "NUL" in ail000(findings, "nul.py")["message"]
    assert [f["code"] for f in findings if f["path"] == "nul.py"] == ["AIL000", "AIL101"]
    assert_good_analyzed(findings)


def test_undecodable_bytes(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "no_cookie.py").write_bytes(b"# caf\xe9\nx = 1\n")
    (tmp_path / "with_cookie.py").write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\nx = 1\n")
    (tmp_path / "wrong_cookie.py").write_bytes(b"# coding: ascii\nx = '\xff'\n")
    (tmp_path / "unknown_cookie.py").write_bytes(b"# coding: klingon\nx = 1\n")
    (tmp_path / "bom_and_cookie.py").write_bytes(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")
    _, findings = scan(tmp_path)
    assert "cannot decode line 1" in ail000(findings, "no_cookie.py")["message"]
    assert not [f for f in findings if f["path"] == "with_cookie.py"]
    assert "cannot decode line 2" in ail000(findings, "wrong_cookie.py")["message"]
    assert "unknown encoding" in ail000(findings, "unknown_cookie.py")["message"]
    assert "byte-order mark" in ail000(findings, "bom_and_cookie.py")["message"]
    assert_good_analyzed(findings)


def test_bom_crlf_and_lone_cr(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    line = f'KEY = "{KEY}"'
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + f"import os\n{line}\n".encode())
    (tmp_path / "crlf.py").write_bytes(f"import os\r\n\r\n{line}\r\n".encode())
    (tmp_path / "cr.py").write_bytes(f"import os\r\r\r{line}\r".encode())
    _, findings = scan(tmp_path)
    by_path = {f["path"]: f for f in findings}
    assert (by_path["bom.py"]["code"], by_path["bom.py"]["line"], by_path["bom.py"]["column"]) == ("AIL101", 2, 8)
    assert (by_path["crlf.py"]["line"], by_path["crlf.py"]["column"]) == (3, 8)
    assert (by_path["cr.py"]["line"], by_path["cr.py"]["column"]) == (4, 8)
    assert not [f for f in findings if f["code"] == "AIL000"]
    assert_good_analyzed(findings)


def test_empty_and_whitespace_only_files(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "blank.py").write_bytes(b"\n\n   \n\t\n")
    (tmp_path / "only_comment.py").write_bytes(b"# token = 'abc'")
    document, findings = scan(tmp_path)
    assert [f["path"] for f in findings] == ["good.py"]
    assert document["summary"]["files_scanned"] == 4


# --- size and depth -----------------------------------------------------------------------


def test_ten_megabyte_file(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    line = "value_%d = call(alpha, beta, 'some string to make it long enough')  # comment\n"
    with open(tmp_path / "huge.py", "w") as handle:
        size = 0
        i = 0
        while size < 10 * 1024 * 1024:
            text = line % i
            handle.write(text)
            size += len(text)
            i += 1
        handle.write(f'LEAK = "{KEY}"\n')
    _, findings = scan(tmp_path)
    assert "larger than 5 MB" in ail000(findings, "huge.py")["message"]
    # the raw-text scan still runs on a file too large to parse
    assert [f["code"] for f in findings if f["path"] == "huge.py"] == ["AIL000", "AIL101"]
    assert_good_analyzed(findings)


DEEP = {
    # CPython rejects these before libcst sees them
    "parens.py": "token = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "lists.py": "token = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "nots.py": "token = " + "not " * 10_000 + "x\n",
    "unary.py": "token = " + "-" * 10_000 + "x\n",
    "concat.py": "token = " + " + ".join(['"a"'] * 50_000) + "\n",
    "attrs.py": "token = x" + ".a" * 10_000 + "\n",
    "calls.py": "token = f" + "()" * 10_000 + "\n",
    "lambdas.py": "token = " + "lambda: " * 10_000 + "1\n",
    # CPython accepts this one; libcst's native parser overflows its stack on it (the literal
    # is one AIL102 could report: without it, nothing needs libcst's parse)
    "ands.py": "token = " + " and ".join(["a"] * 10_000) + " and 'q8Zr2LmXcVb7Nw4Ty81'\n",
}


def test_deep_nesting_and_long_concatenation(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    for name, source in DEEP.items():
        (tmp_path / name).write_text(source)
    for jobs in ("1", "2"):
        document, findings = scan(tmp_path, "--jobs", jobs, ".")
        for name in DEEP:
            message = ail000(findings, name)["message"]
            assert "nested too deeply" in message, (name, message)
        assert "parser crashed" in ail000(findings, "ands.py")["message"]
        assert_good_analyzed(findings)
        assert document["summary"]["files_scanned"] == len(DEEP) + 1


def test_code_only_libcst_rejects_is_left_alone_where_no_rule_needs_it(tmp_path: Path) -> None:
    """Where no rule could fire on a file (here: a credential word, but no literal that
    could be a credential), libcst never sees it; CPython's parser checks its syntax. So
    code CPython accepts and libcst cannot parse or crashes on is not reported (AIL000
    says a file was not analyzed that needed to be); a syntax error still is."""
    with_good_file(tmp_path)
    (tmp_path / "ands.py").write_text("token = " + " and ".join(["a"] * 10_000) + "\n")
    (tmp_path / "annotated.py").write_text("password = input()\n(a): int = 1\n")
    (tmp_path / "broken.py").write_text("password = input(\n")
    for jobs in ("1", "2"):
        _, findings = scan(tmp_path, "--jobs", jobs, ".")
        assert [(f["path"], f["code"]) for f in findings] == [("broken.py", "AIL000"), ("good.py", "AIL101")]
    # with a literal AIL102 could report, libcst decides
    (tmp_path / "annotated.py").write_text("password = 'q8Zr2LmXcVb7Nw4Ty81'\n(a): int = 1\n")
    _, findings = scan(tmp_path, ".")
    assert "libcst cannot parse" in ail000(findings, "annotated.py")["message"]


def test_very_long_lines(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "long_list.py").write_text("token = [" + ", ".join(str(i) for i in range(100_000)) + "]\n")
    (tmp_path / "long_string.py").write_text("token = '" + "x" * 2_000_000 + "'\n")
    (tmp_path / "long_comment.py").write_text("# " + "word " * 400_000 + "\nx = 1\n")
    _, findings = scan(tmp_path)
    assert not [f for f in findings if f["code"] == "AIL000"]
    assert_good_analyzed(findings)


def test_text_that_makes_a_careless_pre_filter_quadratic(tmp_path: Path) -> None:
    """The pre-filter reads every file before any parse and outside any time budget: its
    scans must stay linear on text built against regular expressions."""
    with_good_file(tmp_path)
    (tmp_path / "periods.py").write_text("# This line of a comment ends with a period.\n" * 25_000)
    (tmp_path / "dots.py").write_text(".info#" * 200_000 + "\n")
    (tmp_path / "backslashes.py").write_text("def" + "\\" * 200_000 + "\n")
    (tmp_path / "blanks.py").write_text("logger." + " " * 1_000_000 + "\n")
    _, findings = scan(tmp_path)
    assert_good_analyzed(findings)


def test_per_file_time_budget(tmp_path: Path) -> None:
    """A file that takes longer than `file-timeout` is AIL000 "analysis timed out"; the rest is analyzed."""
    with_good_file(tmp_path)
    (tmp_path / "ailint.toml").write_text("file-timeout = 0.5\n")
    # CPython parses a 60,000-term comparison in well under a second; libcst takes many (the
    # literal is one AIL102 could report: without it, nothing needs libcst's parse)
    (tmp_path / "slow.py").write_text("token = " + " < ".join(["a"] * 60_000) + " < 'q8Zr2LmXcVb7Nw4Ty81'\n")
    for name in ("a_before.py", "z_after.py"):
        (tmp_path / name).write_text(f'SECRET_TOKEN = "{fake_keys(5)["groq"]}"\n')
    started = time.monotonic()
    _, findings = scan(tmp_path, "--jobs", "1", ".")
    assert time.monotonic() - started < 30
    assert "analysis timed out after 0.5 s" in ail000(findings, "slow.py")["message"]
    assert {f["path"] for f in findings if f["code"] == "AIL101"} == {"good.py", "a_before.py", "z_after.py"}


# --- the file system ----------------------------------------------------------------------


def test_symlink_loop_and_dangling_symlink(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "pkg" / "self").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    document, findings = scan(tmp_path)
    assert document["summary"]["files_scanned"] == 2
    assert_good_analyzed(findings)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    with_good_file(tmp_path)
    os.mkfifo(tmp_path / "pipe.py")
    document, findings = scan(tmp_path)  # a FIFO found by the walk is not a source file
    assert document["summary"]["files_scanned"] == 1
    _, findings = scan(tmp_path, "pipe.py", "good.py")  # named explicitly: reported, not read
    assert "not a regular file" in ail000(findings, "pipe.py")["message"]
    assert_good_analyzed(findings)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    with_good_file(tmp_path)
    locked = tmp_path / "locked.py"
    locked.write_text("x = 1\n")
    locked.chmod(0)
    try:
        _, findings = scan(tmp_path)
    finally:
        locked.chmod(0o644)
    assert "Permission denied" in ail000(findings, "locked.py")["message"]
    assert_good_analyzed(findings)


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case where the test runs as root: the read itself is made to fail."""
    import builtins

    from linter.config import Config
    from linter.engine.runner import run, targets_for
    from linter.rules import select_rules

    with_good_file(tmp_path)
    locked = tmp_path / "locked.py"
    locked.write_text("x = 1\n")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if Path(str(file)) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.chdir(tmp_path)
    outcome = run(targets_for([locked, tmp_path / "good.py"]), Config(), select_rules(None), jobs=1)
    codes = [(f.path, f.code) for f in outcome.findings]
    assert codes == [("good.py", "AIL101"), ("locked.py", "AIL000")]
    assert "cannot read: Permission denied" in outcome.findings[1].message


def test_file_deleted_between_discovery_and_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.config import Config
    from linter.discovery import Discovery
    from linter.engine.runner import run, targets_for
    from linter.rules import select_rules

    with_good_file(tmp_path)
    (tmp_path / "gone.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    files = Discovery(Config(root=str(tmp_path))).files(["."])
    (tmp_path / "gone.py").unlink()
    outcome = run(targets_for(files), Config(), select_rules(None), jobs=2)
    assert [(f.path, f.code) for f in outcome.findings] == [("gone.py", "AIL000"), ("good.py", "AIL101")]
    assert "disappeared" in outcome.findings[0].message


def test_non_utf8_file_names(tmp_path: Path) -> None:
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        pytest.skip("the file system insists on Unicode names")
    with_good_file(tmp_path)
    raw = os.fsencode(tmp_path) + b"/caf\xe9.py"
    with open(raw, "wb") as handle:
        handle.write(f'LEAK = "{KEY}"\ndef broken(:\n'.encode())
    _, findings = scan(tmp_path)
    odd = [f for f in findings if f["path"] == "caf\\xe9.py"]
    assert [f["code"] for f in odd] == ["AIL101", "AIL000"]
    assert_good_analyzed(findings)
    for output_format in ("text", "json"):  # every format can print the name
        proc = ailint(tmp_path, "--format", output_format, "--no-cache", ".")
        shown = proc.stdout.decode()
        assert proc.returncode == 1 and "caf\\xe9.py" in (shown if output_format == "text" else json.loads(shown)["findings"][0]["path"])
        assert_no_key_in(shown)
    report = tmp_path / "out.json"
    proc = ailint(tmp_path, "--format", "json", "--output", str(report), ".")
    assert proc.returncode == 1 and json.loads(report.read_text())["findings"][0]["path"] == "caf\\xe9.py"


# --- errors a user can act on ---------------------------------------------------------------


@pytest.mark.parametrize(
    "setup, args, expected",
    [
        (lambda d: (d / "ailint.toml").write_text("selcet = ['AIL1']\n"), (".",), "did you mean 'select'"),
        (lambda d: (d / "ailint.toml").write_text("select = [\n"), (".",), "invalid TOML"),
        (lambda d: (d / "ailint.toml").write_text("file-timeout = -1\n"), (".",), "'file-timeout' must be a positive number"),
        (lambda d: None, ("--select", "AIL999", "."), "unknown rule selector 'AIL999'"),
        (lambda d: None, ("--output", "no/such/dir/report.json", "."), "cannot write no/such/dir/report.json"),
        (lambda d: None, ("--config", "missing.toml", "."), "missing.toml: configuration file not found"),
        (lambda d: None, ("missing_dir",), "missing_dir: no such file or directory"),
    ],
    ids=["unknown-key", "bad-toml", "bad-value", "unknown-code", "unwritable-output", "missing-config", "missing-path"],
)
def test_errors_are_one_line_exit_2(tmp_path: Path, setup, args, expected) -> None:
    with_good_file(tmp_path)
    setup(tmp_path)
    proc = ailint(tmp_path, *args)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert stderr.count("\n") == 1 and stderr.startswith("ailint: error: ") and expected in stderr, stderr
    verbose = ailint(tmp_path, "--verbose", *args)
    assert verbose.returncode == 2 and "Traceback" in verbose.stderr.decode() and expected in verbose.stderr.decode()


def test_the_scanned_code_s_syntax_warnings_are_not_echoed() -> None:
    """CPython's parser, run on scanned code, must not print its SyntaxWarnings to the user."""
    import warnings

    from linter.engine.analyze import python_parse_check

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert python_parse_check('x = 1(2)\ny = "\\d"\n') == (True, None)
