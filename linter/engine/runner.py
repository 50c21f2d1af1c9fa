"""A run over many files: per-file analysis (in worker processes), then the project phase,
then suppressions.

Each file's analysis is independent and returns a FileResult holding its findings and
its project-wide facts; the project phase resolves cross-module rules from the facts of
every file, after all files are done. That split is what lets files run in parallel and
be served from a cache without changing what is reported.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linter.discovery import display_path, per_file_ignored_codes
from linter.engine.analyze import analyze_contained, analyze_source, not_analyzed_result
from linter.engine.cache import ResultCache
from linter.findings import FileResult, Finding
from linter.suppressions import split_suppressed

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.pool import IsolatedPool, Task
    from linter.rules.base import Rule

#: below this many files a process pool costs more than it saves
MIN_FILES_FOR_POOL = 16


@dataclass
class Target:
    """One file to analyze: where to read it (or its bytes, for stdin) and how to show it."""

    display: str
    path: Path | None = None
    data: bytes | None = None


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    #: findings hidden by the baseline (set by the CLI; SARIF keeps them as suppressed results)
    baselined: list[Finding] = field(default_factory=list)
    #: the baseline file those came from, for the SARIF suppression's justification
    baseline_name: str | None = None
    results: list[FileResult] = field(default_factory=list)
    duration_s: float = 0.0
    #: whether unsafe fixes count as applicable (`--unsafe-fixes`): the text report marks them
    unsafe_fixes: bool = False

    @property
    def files_scanned(self) -> int:
        return len(self.results)

    @property
    def files_not_analyzed(self) -> int:
        return sum(1 for r in self.results if r.not_analyzed)


def read_target(target: Target) -> tuple[bytes | None, str | None]:
    """(bytes, None) or (None, reason). Never blocks on a FIFO or device."""
    if target.data is not None:
        return target.data, None
    assert target.path is not None
    try:
        info = os.stat(target.path)
    except FileNotFoundError:
        return None, "file disappeared before it could be read"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file"
    try:
        with open(target.path, "rb") as handle:
            return handle.read(), None
    except FileNotFoundError:
        return None, "file disappeared before it could be read"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


def analyze_target(target: Target, config: "Config", rules: Sequence[type["Rule"]]) -> FileResult:
    """Read and analyze one target in this process; read failures become AIL000."""
    data, reason = read_target(target)
    if data is None:
        return not_analyzed_result(target.display, rules, reason or "unreadable", config.root)
    return analyze_source(target.display, data, config, rules)


def _rules_for(target: Target, config: "Config", rules: Sequence[type["Rule"]]) -> tuple[type["Rule"], ...]:
    if target.path is None:
        return tuple(rules)
    ignored = per_file_ignored_codes(config, target.path)
    if not ignored:
        return tuple(rules)
    return tuple(r for r in rules if not any(r.code.startswith(code.upper()) or r.name == code for code in ignored))


def default_jobs() -> int:
    return os.cpu_count() or 1


def _failure(task: Task, reason: str) -> FileResult:
    _, display, _, rules = task
    return not_analyzed_result(display, rules, reason)


def analyze_all(
    targets: Iterable[Target],
    config: "Config",
    rules: Sequence[type["Rule"]],
    jobs: int | None = None,
    *,
    cache: ResultCache | None = None,
    timeout: float | None = None,
    isolate: bool | None = None,
) -> list[FileResult]:
    """Analyze every target, in input order: from the cache where possible, else in worker
    processes. `targets` may be a stream (a directory walk): the work starts with the first
    file.

    The parent reads each file once (so the bytes hashed for the cache are the bytes
    analyzed), answers what the cache knows, and hands the rest to workers as it goes.
    `isolate=False` analyzes in this process instead (no crash or time-out protection:
    for profiling, and for platforms without `fork` when there are only a few files).
    """
    dispatch = _Dispatch(
        config, jobs or default_jobs(), timeout if timeout is not None else config.file_timeout, isolate
    )
    results: list[FileResult | None] = []
    keys: dict[int, str] = {}
    run_key = ResultCache.run_key(config) if cache is not None else ""
    try:
        for index, target in enumerate(targets):
            results.append(None)
            file_rules = _rules_for(target, config, rules)
            data, reason = read_target(target)
            if data is None:
                results[index] = not_analyzed_result(target.display, file_rules, reason or "unreadable", config.root)
                continue
            if cache is not None:
                keys[index] = key = ResultCache.key(run_key, target.display, data, file_rules)
                cached = cache.get(key)
                if cached is not None:
                    results[index] = cached
                    continue
            dispatch.add((index, target.display, data, file_rules), results)
        computed = dispatch.finish(results)
    finally:
        dispatch.close()
    if cache is not None:
        for index in computed:
            if not _transient(results[index]):  # type: ignore[arg-type]
                cache.put(keys[index], results[index])  # type: ignore[arg-type]
    return results  # type: ignore[return-value]


class _Dispatch:
    """Where each file the cache could not answer is analyzed, decided as files arrive.

    The first MIN_FILES_FOR_POOL of them are pre-filtered here, and those that need no tree
    are done here (a pre-commit hook or an editor: no worker, no libcst). Every other file
    goes to an IsolatedPool at once (`fork`): its first worker imports libcst while this
    process goes on reading and hashing. Without `fork`, where a worker must import
    everything itself, the files wait until the cache has missed MIN_FILES_FOR_POOL files;
    a run that ends with fewer misses analyzes them here.

    The CLI's first worker is already at work by then: `ailint check` forks it before it
    imports anything else (engine/head_start.py), and the pool adopts it.
    """

    def __init__(self, config: "Config", jobs: int, timeout: float, isolate: bool | None) -> None:
        self._config = config
        self._jobs = jobs
        self._timeout = timeout
        self._isolate = isolate
        self._seen = 0
        self._held: list[Task] = []
        self._pool: "IsolatedPool | None" = None
        self.computed: list[int] = []

    def add(self, task: Task, results: list[FileResult | None]) -> None:
        index, display, data, file_rules = task
        self.computed.append(index)
        self._seen += 1
        if self._seen <= MIN_FILES_FOR_POOL:
            result = analyze_contained(display, data, self._config, file_rules, tree=False)
            if result is not None:
                results[index] = result
                return
        if self._pool is not None:
            self._pool.submit(task)
            return
        self._held.append(task)
        if self._isolating():
            self._start_pool()

    def _isolating(self) -> bool:
        """Whether the files held so far go to workers (else: to this process, at the end)."""
        if self._isolate is not None:
            return self._isolate
        from linter.engine.pool import start_method

        return start_method() == "fork" or self._seen >= MIN_FILES_FOR_POOL

    def _start_pool(self) -> None:
        from linter.engine.pool import IsolatedPool

        # one worker per MIN_FILES_FOR_POOL files: a few files get one helper process
        self._pool = IsolatedPool(self._config, self._jobs, self._timeout, _failure, files_per_worker=MIN_FILES_FOR_POOL)
        for task in self._held:
            self._pool.submit(task)
        self._held = []

    def finish(self, results: list[FileResult | None]) -> list[int]:
        """Wait for (or do) what is left; the indices of the files analyzed in this run."""
        if self._held and self._pool is None and self._isolating():
            self._start_pool()
        if self._pool is not None:
            for index, result in self._pool.finish().items():
                results[index] = result
        for index, display, data, file_rules in self._held:  # only when not isolating
            results[index] = analyze_contained(display, data, self._config, file_rules)
        self._held = []
        return self.computed

    def close(self) -> None:
        """Stop any workers still running (after an error or an interrupt)."""
        if self._pool is not None:
            self._pool.finish_abruptly()


def _transient(result: FileResult) -> bool:
    """Results that say more about this run than about the file are not cached."""
    reason = result.not_analyzed or ""
    return reason.startswith(("analysis timed out", "the parser crashed", "internal error"))


def resolve_project(
    results: list[FileResult], config: "Config", rules: Sequence[type["Rule"]], cache: ResultCache | None = None
) -> None:
    """The project phase: rules with a `resolve_project` classmethod read every file's facts
    and add findings to the results they concern. `cache` serves the facts of files the
    phase has to complete (engine/project.py)."""
    for rule in rules:
        resolver = getattr(rule, "resolve_project", None)
        if resolver is not None:
            resolver(results, config, cache=cache)


def run(
    targets: Iterable[Target],
    config: "Config",
    rules: Sequence[type["Rule"]],
    jobs: int | None = None,
    *,
    cache: ResultCache | None = None,
    timeout: float | None = None,
    isolate: bool | None = None,
) -> RunResult:
    started = time.perf_counter()
    results = analyze_all(targets, config, rules, jobs, cache=cache, timeout=timeout, isolate=isolate)
    resolve_project(results, config, rules, cache)
    if cache is not None:
        cache.flush()  # one segment for the whole run (engine/cache.py)
    outcome = RunResult(results=results)
    for result in results:
        if result.skip_file:
            continue
        kept, hidden = split_suppressed(result.findings, result.suppressions)
        outcome.findings.extend(kept)
        outcome.suppressed.extend(hidden)
    outcome.findings.sort(key=Finding.sort_key)
    outcome.suppressed.sort(key=Finding.sort_key)
    outcome.duration_s = time.perf_counter() - started
    return outcome


def iter_targets(files: Iterable[Path]) -> Iterator[Target]:
    """The targets for `files`, made as they are read (a directory walk streams them)."""
    for path in files:
        yield Target(display_path(path), path)


def targets_for(files: Sequence[Path]) -> list[Target]:
    return list(iter_targets(files))
