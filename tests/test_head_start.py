"""The head start (engine/head_start.py): `ailint check` forks its first worker before it
imports anything else; the pool adopts it, and one nothing adopted is killed at exit."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
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


def test_the_pool_adopts_the_head_start_as_its_first_worker(tmp_path: Path) -> None:
    head_start.start()
    pid = head_start._waiting.pid  # type: ignore[union-attr]
    seen: list[int] = []
    results = _run([Target("client.py", None, AI)], tmp_path, seen)
    assert [f.code for f in results[0].findings] == ["AIL101"]
    assert seen == [0] and not multiprocessing.active_children()  # no worker of its own
    assert head_start.take() is None  # adopted, not waiting any more
    assert _gone(pid)  # and stopped with the pool


def test_a_head_start_that_died_is_replaced_by_an_ordinary_worker(tmp_path: Path) -> None:
    head_start.start()
    pid = head_start._waiting.pid  # type: ignore[union-attr]
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not _gone(pid) and head_start._waiting.is_alive() and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.01)
    results = _run([Target("client.py", None, AI)], tmp_path, [])
    assert [f.code for f in results[0].findings] == ["AIL101"]
    assert results[0].not_analyzed is None


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
    [(["check", "src"], True), (["check"], True), (["explain", "AIL101"], False), (["--version"], False), ([], False)],
)
def test_only_a_check_gets_a_head_start(arguments: list[str], wanted: bool) -> None:
    assert head_start.wanted(arguments) is wanted


def test_no_head_start_without_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AILINT_START_METHOD", "spawn")
    assert not head_start.wanted(["check", "src"])


def test_the_command_leaves_no_process_behind(tmp_path: Path) -> None:
    """Both ways a run ends with its head start: used (a file with AI code) or not."""
    (tmp_path / "client.py").write_bytes(AI)
    (tmp_path / "plain.py").write_text("x = 1\n")
    probe = (
        "import os, sys\n"
        "from linter.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    children = [p for p in os.listdir('/proc') if p.isdigit()\n"
        "                and open(f'/proc/{p}/stat').read().split(') ')[1].split()[1] == str(os.getpid())]\n"
        "    print('children', len(children), file=sys.stderr)\n"
    )
    for name, status in (("client.py", 1), ("plain.py", 0)):
        done = subprocess.run(
            [sys.executable, "-c", probe, "check", "--no-cache", name],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == status, done.stdout + done.stderr
        assert "children 0" in done.stderr
