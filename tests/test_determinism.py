"""Same input, same output; the scanner never runs what it scans; the cache cannot lie.

Byte-identical reports (duration aside) across --jobs 1 and --jobs N, cold and warm
cache, the pre-filter on and off, and two working directories; planted files whose import
would leave a marker leave none; a run killed mid-way leaves a cache the next run trusts
only where it is whole; corrupt and foreign entries are ignored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keygen import fake_keys

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
KEYS = fake_keys(23)


def ailint(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", *args],
        cwd=cwd, capture_output=True, timeout=300, env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def stable(output: bytes) -> bytes:
    """The report without its run time."""
    return re.sub(rb'"duration_s": [0-9.]+', b'"duration_s": 0', output)


def make_project(root: Path, files: int = 60) -> Path:
    """A project big enough to use several workers, with findings of every kind here."""
    shutil.copytree(FIXTURES, root / "fixtures")
    pkg = root / "pkg"
    pkg.mkdir()
    names = sorted(KEYS)
    for i in range(files):
        key = KEYS[names[i % len(names)]]
        (pkg / f"mod_{i:03d}.py").write_text(
            "import os\nfrom openai import OpenAI\n\n"
            f"def call_{i}(prompt):\n"
            f'    client = OpenAI(api_key="{key}")\n'
            f'    token = "q8Zr2LmXc{i:03d}Vb7Nw4Ty"\n'
            "    return client.chat.completions.create(model='gpt-4o', messages=[prompt])\n"
        )
    (pkg / "broken.py").write_text("def broken(:\n")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("determinism"))


def test_jobs_cache_and_cwd_do_not_change_the_output(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    outputs = {}
    for fmt in ("json", "text"):
        base = ["--format", fmt]
        outputs[fmt, "jobs1"] = ailint(project, *base, "--no-cache", "--jobs", "1", "pkg", "fixtures")
        outputs[fmt, "jobs3"] = ailint(project, *base, "--no-cache", "--jobs", "3", "pkg", "fixtures")
        outputs[fmt, "cold"] = ailint(project, *base, "--cache-dir", str(cache / fmt), "pkg", "fixtures")
        outputs[fmt, "warm"] = ailint(project, *base, "--cache-dir", str(cache / fmt), "pkg", "fixtures")
        # the same relative paths from another directory holding a copy of the project
        copy = tmp_path / f"elsewhere-{fmt}"
        shutil.copytree(project, copy)
        outputs[fmt, "elsewhere"] = ailint(copy, *base, "--no-cache", "pkg", "fixtures")
        reference = stable(outputs[fmt, "jobs1"].stdout)
        assert outputs[fmt, "jobs1"].returncode == 1 and b"AIL101" in reference
        for name, proc in outputs.items():
            if name[0] == fmt:
                assert proc.returncode == 1, (name, proc.stderr)
                assert stable(proc.stdout) == reference, name
    assert json.loads(outputs["json", "jobs1"].stdout)["summary"]["files_not_analyzed"] >= 1
    assert len(_entry_lines(cache / "json")) >= 60  # the warm run really had a cache


def test_prefilter_changes_nothing_on_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text pre-filter only skips work whose result is provably empty."""
    from linter.config import Config
    from linter.discovery import Discovery
    from linter.engine import analyze
    from linter.engine.runner import run, targets_for
    from linter.rules import all_rules

    monkeypatch.chdir(ROOT)
    files = Discovery(Config(root=str(ROOT))).files(["fixtures", "tests", "linter"])
    rules = all_rules()  # every rule, default or not
    runs, facts = {}, {}
    for prefilter in (True, False):
        monkeypatch.setattr(analyze, "PREFILTER", prefilter)
        outcome = run(targets_for(files), Config(root=str(ROOT)), rules, jobs=1, isolate=False)
        runs[prefilter] = (
            [f.to_dict() for f in outcome.findings],
            [f.to_dict() for f in outcome.suppressed],
            [(r.path, r.not_analyzed) for r in outcome.results],
        )
        facts[prefilter] = {r.path: r.facts for r in outcome.results if r.facts_complete}
    assert runs[True] == runs[False]
    assert any(f["code"] == "AIL101" for f in runs[True][0])
    # a file the pre-filter let through has the same facts; the others are left incomplete (the
    # project phase completes their facts on demand)
    assert facts[True] == {path: facts[False][path] for path in facts[True]}
    assert len(facts[True]) < len(facts[False])


def test_a_file_done_without_a_tree_is_done_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """`analyze_without_tree`, how a run of a few files keeps those that need no tree out of
    its workers, gives what `analyze_source` gives, or None (then the worker does it)."""
    from linter.config import Config
    from linter.discovery import Discovery
    from linter.engine import analyze
    from linter.engine.runner import targets_for
    from linter.rules import all_rules, select_rules

    monkeypatch.chdir(ROOT)
    files = Discovery(Config(root=str(ROOT))).files(["fixtures"])
    done = 0
    for rules in (select_rules(None), all_rules()):
        for target in targets_for(files):
            data = target.path.read_bytes()  # type: ignore[union-attr]
            quick = analyze.analyze_without_tree(target.display, data, Config(root=str(ROOT)), rules)
            if quick is not None:
                done += 1
                assert quick == analyze.analyze_source(target.display, data, Config(root=str(ROOT)), rules), target.display
    # both kinds occur: fixture files without AI code, and the rest
    assert 0 < done < len(files)


@pytest.mark.parametrize("code", sorted(c.code for c in __import__("linter.rules", fromlist=["all_rules"]).all_rules()
                                         if c.code != "AIL000"))
def test_each_rule_alone_is_the_same_with_the_prefilter(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule enabled at a time: its triggers must be sound on their own (no other rule's
    trigger lets the file through for it), and it must declare every engine tracker it
    reads (`Rule.uses`) — with the pre-filter, the others do not run."""
    from linter.config import Config
    from linter.discovery import Discovery
    from linter.engine import analyze
    from linter.engine.runner import run, targets_for
    from linter.rules import all_rules

    monkeypatch.chdir(ROOT)
    files = Discovery(Config(root=str(ROOT))).files(["fixtures"])
    rules = [rule for rule in all_rules() if rule.code in (code, "AIL000")]
    runs = {}
    for prefilter in (True, False):
        monkeypatch.setattr(analyze, "PREFILTER", prefilter)
        outcome = run(targets_for(files), Config(root=str(ROOT)), rules, jobs=1, isolate=False)
        runs[prefilter] = [f.to_dict() for f in outcome.findings + outcome.suppressed]
    assert runs[True] == runs[False]
    assert not any("internal error" in f["message"] for f in runs[True])


def test_prefilter_skips_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    from linter.config import Config
    from linter.engine import analyze
    from linter.rules import select_rules

    parsed = []
    real_parse = libcst.parse_module
    # patched on libcst itself: `analyze.cst` may still be the lazy loader's stand-in, which
    # loading libcst replaces (run alone, this test would count nothing)
    monkeypatch.setattr(libcst, "parse_module", lambda text: parsed.append(text) or real_parse(text))
    rules = select_rules(None)
    clean = analyze.analyze_source("clean.py", b"TOTAL = sum(range(10))\nSQUARES = [n * n for n in range(TOTAL)]\n", Config(), rules)
    assert clean.findings == [] and parsed == []
    # a helper module is a possible step between a handler and an AI call, but AIL401 starts
    # at handlers: the project phase reads such a file only when a handler's calls reach it
    helper = analyze.analyze_source("helpers.py", b"import json\n\ndef shout(x):\n    return json.dumps(x).upper()\n", Config(), rules)
    assert helper.findings == [] and not helper.facts_complete and parsed == []
    broken = analyze.analyze_source("broken.py", b"def broken(:\n", Config(), rules)
    assert [f.code for f in broken.findings] == ["AIL000"] and broken.not_analyzed  # still reported
    used = analyze.analyze_source("used.py", b"api_key = 'q8Zr2LmXcVb7Nw4Ty81'\n", Config(), rules)
    assert [f.code for f in used.findings] == ["AIL102"] and len(parsed) == 2
    # credentials named but none written down: no literal the credential rules could report
    # (`LiteralTrigger`), so no parse; a format spec is not a literal
    named = (b"import os\nAPI_KEY = os.environ['API_KEY']\npassword = input('password: ')\n"
             b"headers = {'Authorization': f'Bearer {API_KEY}'}\nprint(f'{password:>10}', 'user-1')\n")
    assert analyze.analyze_source("named.py", named, Config(), rules).findings == [] and len(parsed) == 2
    # ...and one literal that could be a key has the file parsed, wherever it is
    later = named + b"LABEL = 'q8Zr2LmXcVb7Nw4Ty81'\n"
    assert analyze.analyze_source("later.py", later, Config(), rules).findings == [] and len(parsed) == 3


def test_spawn_start_method_gives_the_same_results(project: Path) -> None:
    """Workers only get picklable work and a module-level entry point: `spawn` works too."""
    fork = ailint(project, "--format", "json", "--no-cache", "--jobs", "2", "pkg")
    spawn = ailint(project, "--format", "json", "--no-cache", "--jobs", "2", "pkg", env={"AILINT_START_METHOD": "spawn"})
    assert spawn.returncode == 1, spawn.stderr
    assert stable(spawn.stdout) == stable(fork.stdout)


def test_scanned_code_is_never_imported_or_run(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    (tmp_path / "conftest.py").write_text(payload)
    (tmp_path / "setup.py").write_text(payload)
    (tmp_path / "__init__.py").write_text(payload)
    (tmp_path / "linter.py").write_text(payload)  # shadows our own package name
    (tmp_path / "sitecustomize.py").write_text(payload)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(payload)
    (tmp_path / "pkg" / "__main__.py").write_text(payload)
    (tmp_path / "pkg" / "mod.py").write_text(f"import pkg\n{payload}token = 'x'\nclass Meta(type):\n    {payload}")
    (tmp_path / "ailint.toml").write_text("select = ['AIL']\n")
    # the console script (what pre-commit and CI run) and `python -P -m linter`: a plain
    # `python -m linter` puts the current directory first on sys.path, so Python itself
    # would import a scanned `linter.py` before ailint runs (see README "Reliability")
    script = Path(sys.executable).with_name("ailint")
    entry_points = [[str(script), "check"]] if script.exists() else []
    if sys.version_info >= (3, 11):
        entry_points.append([sys.executable, "-P", "-m", "linter", "check"])
    assert entry_points
    for command in entry_points:
        for jobs in ("1", "2"):
            for extra in ((), ("--no-cache",)):
                proc = subprocess.run([*command, "--jobs", jobs, *extra, "."], cwd=tmp_path, capture_output=True, timeout=120)
                assert proc.returncode in (0, 1), proc.stderr
        proc = subprocess.run([*command, "-", "--stdin-filename", "pkg/stdin.py"], cwd=tmp_path, input=payload.encode(),
                              capture_output=True, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists()


def _segments(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.seg"))


def _entry_lines(cache: Path) -> list[bytes]:
    """Every entry line of every segment (engine/cache.py: a header line, then entries)."""
    return [line for segment in _segments(cache) for line in segment.read_bytes().splitlines()[1:]]


def _check_whole(segment: Path) -> None:
    header, *lines = segment.read_bytes().splitlines()
    assert json.loads(header)["schema"]
    for line in lines:
        key, stamp, entry = line.split(b" ", 2)
        assert len(key) == 64 and stamp.isdigit()
        json.loads(entry)


def test_killed_run_leaves_no_corrupt_cache(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = ailint(project, "--format", "json", "--no-cache", "pkg", "fixtures")
    killed = 0
    for delay in (0.6, 1.0, 1.5, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "linter", "check", "--format", "json", "--cache-dir", str(cache), "pkg", "fixtures"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole run, workers included
            killed += 1
        proc.wait()
        for segment in _segments(cache):
            _check_whole(segment)  # every visible segment is whole
    assert killed, "the run finished before it could be killed; make the project bigger"
    again = ailint(project, "--format", "json", "--cache-dir", str(cache), "pkg", "fixtures")
    assert stable(again.stdout) == stable(reference.stdout)


def test_corrupt_and_foreign_cache_entries_are_ignored(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ("--format", "json", "--cache-dir", str(cache), "pkg")
    reference = ailint(project, *args)
    [segment] = _segments(cache)
    assert len(_entry_lines(cache)) >= 60 and (cache / ".gitignore").read_text().strip().endswith("*")
    good = segment.read_bytes()
    header, *lines = good.splitlines()
    foreign = json.dumps({**json.loads(header), "ailint": "0.0.0-foreign"}).encode()
    for damaged in (
        b"\x00garbage{",  # corrupt
        b"\n".join([foreign, *lines]),  # another version
        b"\n".join([json.dumps({"schema": 99}).encode(), *lines]),  # another schema
        b"\n".join([header, *(line[:-7] for line in lines)]),  # every entry cut short
    ):
        segment.write_bytes(damaged)
        again = ailint(project, *args)
        assert again.returncode == reference.returncode
        assert stable(again.stdout) == stable(reference.stdout)
        for other in _segments(cache):  # the run wrote a good segment of its own: start over
            if other != segment:
                other.unlink()


def test_cache_never_holds_a_key(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    ailint(project, "--cache-dir", str(cache), "pkg", "fixtures")
    blob = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert blob
    for key in KEYS.values():
        assert key.encode() not in blob


def test_cache_key_covers_config_and_rules(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = ailint(project, "--format", "json", "--cache-dir", str(cache), "pkg")
    ignored = ailint(project, "--format", "json", "--cache-dir", str(cache), "--ignore", "AIL101", "pkg")
    codes = {f["code"] for f in json.loads(ignored.stdout)["findings"]}
    assert "AIL101" not in codes and "AIL102" in codes
    assert stable(ailint(project, "--format", "json", "--cache-dir", str(cache), "pkg").stdout) == stable(first.stdout)


def test_trackers_run_where_a_triggered_rule_uses_them() -> None:
    from linter.config import Config
    from linter.engine import analyze
    from linter.rules import all_rules, select_rules

    assert all(set(rule.uses) <= set(analyze.TRACKER_NEEDS) for rule in all_rules())
    by_code = {rule.code: rule for rule in all_rules()}
    assert analyze.needed_trackers([by_code["AIL503"]]) == {"logs", "dataflow", "routes"}
    assert analyze.needed_trackers([by_code["AIL101"]]) == set()
    # a file with an AI call but no handler and no log: the dataflow runs, the routes do not,
    # so the project phase may complete this file's facts later
    source = b"from openai import OpenAI\n\ndef ask(q):\n    return OpenAI().responses.create(model='m', input=q)\n"
    result = analyze.analyze_source("ask.py", source, Config(), select_rules(None))
    assert result.facts and not result.facts_complete
    # a facts-only analysis (how the project phase completes facts) runs every tracker
    assert analyze.analyze_source("ask.py", source, Config(), ()).facts_complete
