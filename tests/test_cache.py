"""The result cache's segments: one file per run, merged when they pile up, stale entries dropped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from linter.engine import cache as cache_module
from linter.engine.cache import ResultCache
from linter.findings import FileResult, Finding


def result(path: str, line: int = 1) -> FileResult:
    finding = Finding(code="AIL102", name="hardcoded-credential", severity="error", path=path, line=line, column=1,
                      end_line=line, end_column=5, message="m", fingerprint="f" * 16)
    return FileResult(path=path, findings=[finding], facts={"module": path}, facts_complete=True)


def key(n: int) -> str:
    return f"{n:064x}"


def test_a_run_writes_one_segment_and_the_next_reads_it(tmp_path: Path) -> None:
    first = ResultCache(tmp_path)
    for n in range(50):
        assert first.get(key(n)) is None
        assert first.put(key(n), result(f"f{n}.py", n + 1))
    first.flush()
    assert len(list(tmp_path.rglob("*.seg"))) == 1
    second = ResultCache(tmp_path)
    assert second.get(key(7)) == result("f7.py", 8)
    assert second.get(key(99)) is None and (second.hits, second.misses) == (1, 1)
    second.flush()  # nothing new: nothing written
    assert len(list(tmp_path.rglob("*.seg"))) == 1


def test_the_newest_segment_wins_and_segments_are_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_SEGMENTS", 3)
    for run in range(5):
        cache = ResultCache(tmp_path)
        cache.get(key(0))
        cache.put(key(run + 1), result(f"f{run}.py"))
        cache.put(key(0), result("same.py", run + 1))
        cache.flush()
        time.sleep(0.001)  # segment names are ordered by time
    assert len(list(tmp_path.rglob("*.seg"))) <= 3
    final = ResultCache(tmp_path)
    assert final.get(key(0)) == result("same.py", 5)
    assert all(final.get(key(n)) is not None for n in range(1, 6))


def test_a_merge_drops_entries_unused_for_a_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_SEGMENTS", 1)
    old = ResultCache(tmp_path)
    old.put(key(1), result("old.py"))
    old.put(key(2), result("used.py"))
    old.flush()
    later = time.time() + cache_module.STALE_AFTER_S + 60
    monkeypatch.setattr(cache_module.time, "time", lambda: later)
    cache = ResultCache(tmp_path)
    assert cache.get(key(2)) is not None  # used by this run: kept
    cache.put(key(3), result("new.py"))
    cache.flush()  # two segments > MAX_SEGMENTS: merged
    merged = ResultCache(tmp_path)
    assert merged.get(key(1)) is None and merged.get(key(2)) is not None and merged.get(key(3)) is not None
    assert len(list(tmp_path.rglob("*.seg"))) == 1


def test_values_json_cannot_round_trip_are_not_cached(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    odd = FileResult(path="a.py", facts={"pair": (1, 2)})
    assert not cache.put(key(1), odd)
    cache.flush()
    assert ResultCache(tmp_path).get(key(1)) is None


def test_an_unwritable_directory_costs_speed_not_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = ResultCache(blocker / "cache")
    assert cache.get(key(1)) is None
    assert cache.put(key(1), result("a.py"))
    cache.flush()  # no exception
    assert ResultCache(blocker / "cache").get(key(1)) is None


def test_large_runs_flush_as_they_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "FLUSH_EVERY", 10)
    cache = ResultCache(tmp_path)
    for n in range(25):
        cache.put(key(n), result(f"f{n}.py"))
    # a run killed now keeps the entries of the segments already written
    assert len(list(tmp_path.rglob("*.seg"))) == 2
    assert ResultCache(tmp_path).get(key(15)) is not None
