"""The head start (engine/head_start.py): `ailint check` forks its first worker before it
imports anything else; the pool adopts it, and one nothing adopted is killed at exit."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keygen import fake_keys

from linter.config import Config
from linter.engine import head_start
from linter.engine.runner import Target, analyze_all
from linter.rules import select_rules

pytestmark = pytest.mark.skipif(head_start.start_method() != "fork", reason="a head start needs fork")

AI = f"import openai\nopenai.OpenAI(api_key='{fake_keys()['openai_project']}')\n".encode()


@pytest.fixture(autouse=True)
def _no_stray_head_start() -> Iterator[None]:
    yield
    head_start.discard()


def _gone(pid: int) -> bool:
    """Whether `pid` has exited and been reaped (it is no child of ours any more)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _run(targets: list[Target], tmp_path: Path, seen: list[int]) -> list:
    def recording() -> Iterator[Target]:
        for target in targets:
            seen.append(len(multiprocessing.active_children()))
            yield target

    return analyze_all(recording(), Config(root=str(tmp_path)), select_rules(None), jobs=1, isolate=True)


def _no_other_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the pool unable to start a worker of its own."""

    def refuse(self: object) -> None:
        raise AssertionError("the pool started a worker of its own")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)


def test_the_pool_adopts_the_head_start_as_its_first_worker(tmp_path: Path, monkeypatch) -> None:
    head_start.start()
    pid = head_start._waiting.pid  # type: ignore[union-attr]
    _no_other_worker(monkeypatch)
    seen: list[int] = []
    results = _run([Target("client.py", None, AI)], tmp_path, seen)
    assert [f.code for f in results[0].findings] == ["AIL101"]
    assert results[0].not_analyzed is None
    assert head_start.take() is None  # adopted, not waiting any more
    assert _gone(pid)  # and stopped with the pool


def test_a_head_start_that_died_is_replaced_by_an_ordinary_worker(tmp_path: Path) -> None:
    head_start.start()
    waiting = head_start._waiting
    assert waiting is not None
    os.kill(waiting.pid, signal.SIGKILL)
    assert select.select([waiting.sentinel], [], [], 10)[0]  # dead, not yet reaped
    results = _run([Target("client.py", None, AI)], tmp_path, [])
    assert [f.code for f in results[0].findings] == ["AIL101"]
    assert results[0].not_analyzed is None
    assert head_start.take() is None and _gone(waiting.pid)  # reaped when the pool passed it over


def test_a_head_start_nothing_needs_is_killed(tmp_path: Path) -> None:
    head_start.start()
    pid = head_start._waiting.pid  # type: ignore[union-attr]
    results = _run([Target("plain.py", None, b"x = 1\n")], tmp_path, [])  # needs no tree
    assert results[0].findings == []
    assert head_start._waiting is not None  # nothing adopted it
    head_start.discard()
    assert _gone(pid)


@pytest.mark.parametrize(
    ("arguments", "wanted"),
    [
        (["check", "src"], True),
        (["check"], True),
        (["explain", "AIL101"], False),
        (["explain", "check"], False),
        (["check", "--help"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_only_a_check_gets_a_head_start(arguments: list[str], wanted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_start, "_usable_cores", lambda: 2)
    assert head_start.wanted(arguments) is wanted


def test_no_head_start_on_a_single_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_start, "_usable_cores", lambda: 1)
    assert not head_start.wanted(["check", "src"])


def test_no_head_start_without_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AILINT_START_METHOD", "spawn")
    assert not head_start.wanted(["check", "src"])


def test_the_command_uses_its_head_start_and_leaves_no_process_behind(tmp_path: Path) -> None:
    """Both ways a run ends with its head start: adopted (a file with AI code; the pool is
    unable to start a worker of its own) or killed unused (a file without)."""
    (tmp_path / "client.py").write_bytes(AI)
    (tmp_path / "plain.py").write_text("x = 1\n")
    probe = (
        "import os, sys\n"
        "import multiprocessing.context\n"
        "def refuse(self):\n"
        "    raise SystemExit('the pool started a worker of its own')\n"
        "multiprocessing.context.ForkProcess.start = refuse\n"
        "import linter.engine.head_start\n"
        "linter.engine.head_start._usable_cores = lambda: 2  # as on a machine with two cores\n"
        "from linter.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    try:\n"
        "        os.waitpid(-1, os.WNOHANG)\n"
        "        print('a child is left', file=sys.stderr)\n"
        "    except ChildProcessError:\n"
        "        print('no child left', file=sys.stderr)\n"
    )
    for name, status in (("client.py", 1), ("plain.py", 0)):
        done = subprocess.run(
            [sys.executable, "-c", probe, "check", "--no-cache", name],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == status, done.stdout + done.stderr
        assert "no child left" in done.stderr
        if status:
            assert "AIL101" in done.stdout


def test_a_refused_fork_means_no_head_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    before = len(os.listdir("/proc/self/fd"))
    head_start.start()
    assert head_start._waiting is None
    assert len(os.listdir("/proc/self/fd")) == before  # nothing left open


def _headroom(display: str, data: bytes, config: object, rules: object, **_: object):
    """Stands in for the analysis (inherited by forked workers): how many more frames it may use."""
    from linter.engine.pool import _stack_depth
    from linter.findings import FileResult

    return FileResult(path=display, not_analyzed=str(sys.getrecursionlimit() - _stack_depth()))


def test_every_kind_of_worker_gives_the_analysis_the_same_recursion_headroom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A head start starts shallower than a worker the pool forks; a file nested near the
    recursion limit must get the same verdict from either."""
    from linter.engine import analyze

    monkeypatch.setattr(analyze, "analyze_contained", _headroom)
    head_start.start()
    adopted = _run([Target("client.py", None, AI)], tmp_path, [])
    assert head_start.take() is None  # the head start did it
    own = _run([Target("client.py", None, AI)], tmp_path, [])  # no head start: the pool's own worker
    assert adopted[0].not_analyzed == own[0].not_analyzed
    assert int(own[0].not_analyzed) > 900
