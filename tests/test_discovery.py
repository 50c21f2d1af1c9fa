"""Discovery.stream walks a directory lazily yet in the order of Discovery.files, and a run
puts a worker to work while the walk goes on."""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.config import Config
from linter.discovery import Discovery
from linter.engine.runner import Target, analyze_all, iter_targets
from linter.rules import select_rules

# names whose order differs between "sort each directory by name" and "sort whole paths":
# "-" and "." sort before "/", "_" after it
NAMES = st.sampled_from(["a", "a-b", "a.b", "a_b", "b", "A", "0", "a.py", "a-b.py", "a.b.py", "z.py"])
TREES = st.recursive(
    st.just("file"),
    lambda children: st.dictionaries(NAMES, children, max_size=4),
    max_leaves=12,
)


def _build(directory: Path, tree: dict) -> None:
    for name, child in tree.items():
        path = directory / (name if child != "file" or name.endswith(".py") else name + ".py")
        if path.exists():  # "a" as a file is "a.py", which may also be a directory's name
            continue
        if child == "file":
            path.write_text("x = 1\n")
        else:
            path.mkdir()
            _build(path, child)


@settings(max_examples=60, deadline=None)
@given(tree=st.dictionaries(NAMES, TREES, max_size=5))
def test_stream_yields_what_files_lists(tree: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _build(root, tree)
        config = Config(root=str(root))
        assert list(Discovery(config).stream([str(root)])) == Discovery(config).files([str(root)])


def test_stream_with_gitignore_and_symlinks(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for name in ("pkg/a.py", "pkg/a-b.py", "pkg/sub/c.py", "pkg/ignored.py", "top.py"):
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "pkg" / ".gitignore").write_text("ignored.py\n")
    (tmp_path / "pkg" / "link").symlink_to(tmp_path / "pkg" / "sub", target_is_directory=True)
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path, target_is_directory=True)
    config = Config(root=str(tmp_path))
    streamed = list(Discovery(config).stream([str(tmp_path)]))
    assert streamed == Discovery(config).files([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in streamed] == [
        "pkg/a-b.py", "pkg/a.py", "pkg/link/c.py", "top.py"
    ]


def test_stream_walks_lazily(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "m").mkdir()
    walk = Discovery(Config(root=str(tmp_path))).stream([str(tmp_path)])
    assert next(walk).name == "a.py"
    (tmp_path / "m" / "late.py").write_text("x = 1\n")  # made after the walk began
    assert [p.name for p in walk] == ["late.py"]


def test_stream_of_several_paths_reports_a_missing_one_up_front(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    discovery = Discovery(Config(root=str(tmp_path)))
    discovery.stream([str(tmp_path / "a.py"), str(tmp_path / "nope.py")])
    assert [reason for _, reason in discovery.skipped] == ["no such file or directory"]


def test_a_worker_starts_while_the_files_are_still_being_read(tmp_path: Path) -> None:
    """The first file that needs a tree goes to a worker at once; the walk goes on."""
    (tmp_path / "a_client.py").write_text("import openai\nopenai.OpenAI().responses.create(model='m', input='hi')\n")
    for n in range(3):
        (tmp_path / f"b{n}.py").write_text("x = 1\n")
    workers_seen: list[int] = []

    def targets() -> Iterator[Target]:
        for target in iter_targets(sorted(tmp_path.glob("*.py"))):
            workers_seen.append(len(multiprocessing.active_children()))
            yield target

    config = Config(root=str(tmp_path))
    results = analyze_all(targets(), config, select_rules(None), jobs=2, isolate=True)
    assert [Path(r.path).name for r in results] == ["a_client.py", "b0.py", "b1.py", "b2.py"]
    assert workers_seen[0] == 0 and workers_seen[1] >= 1
    assert not multiprocessing.active_children()  # and the run stopped it


def _recording(targets: list[Target], seen: list[int]) -> Iterator[Target]:
    for target in targets:
        seen.append(len(multiprocessing.active_children()))
        yield target


def test_a_files_time_budget_starts_when_its_worker_is_ready(tmp_path: Path, monkeypatch) -> None:
    """A worker imports libcst before its first file; that is no file's time."""
    import time

    from linter.engine import analyze
    from linter.engine.pool import start_method

    if start_method() != "fork":
        pytest.skip("the slow import is patched into forked workers")
    load = analyze.load_tree_engine

    def slow_load() -> None:
        time.sleep(0.6)
        load()

    monkeypatch.setattr(analyze, "load_tree_engine", slow_load)
    source = b"import openai\nopenai.OpenAI().responses.create(model='m', input='hi')\n"
    targets = [Target(f"f{n}.py", None, source) for n in range(3)]
    results = analyze_all(targets, Config(root=str(tmp_path)), select_rules(None), jobs=1, timeout=0.4, isolate=True)
    assert [r.not_analyzed for r in results] == [None, None, None]


def test_without_fork_many_misses_go_to_workers(tmp_path: Path, monkeypatch) -> None:
    """Without `fork`, a run with 16 or more cache misses analyzes its files that need a
    tree in workers (crash- and hang-proof), however few of them need one."""
    monkeypatch.setenv("AILINT_START_METHOD", "spawn")
    ai = b"import openai\nopenai.OpenAI().responses.create(model='m', input='hi')\n"
    targets = [Target(f"f{n:02}.py", None, ai if n % 3 == 0 else b"x = 1\n") for n in range(20)]
    workers_seen: list[int] = []
    results = analyze_all(
        _recording(targets, workers_seen), Config(root=str(tmp_path)), select_rules(None), jobs=1
    )
    assert all(r.not_analyzed is None for r in results)
    assert max(workers_seen) >= 1
