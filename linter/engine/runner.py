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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linter.discovery import display_path, per_file_ignored_codes
from linter.engine.analyze import analyze_source, analyze_without_tree, internal_error_result, not_analyzed_result
from linter.engine.cache import ResultCache
from linter.findings import FileResult, Finding
from linter.suppressions import split_suppressed

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.pool import Task
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
    targets: Sequence[Target],
    config: "Config",
    rules: Sequence[type["Rule"]],
    jobs: int | None = None,
    *,
    cache: ResultCache | None = None,
    timeout: float | None = None,
    isolate: bool | None = None,
) -> list[FileResult]:
    """Analyze every target: from the cache where possible, else in worker processes.

    The parent reads each file once (so the bytes hashed for the cache are the bytes
    analyzed), answers what the cache knows, and hands the rest to an IsolatedPool.
    `isolate=False` analyzes in this process instead (no crash or time-out protection:
    for profiling, and for platforms without `fork` when there are only a few files).
    """
    jobs = jobs or default_jobs()
    timeout = timeout if timeout is not None else config.file_timeout
    results: list[FileResult | None] = [None] * len(targets)
    tasks: list[Task] = []
    keys: dict[int, str] = {}
    run_key = ResultCache.run_key(config) if cache is not None else ""
    for index, target in enumerate(targets):
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
        tasks.append((index, target.display, data, file_rules))

    computed = [task[0] for task in tasks]
    if len(tasks) < MIN_FILES_FOR_POOL:
        # A few files (a pre-commit hook, an editor): those that need no tree are done here,
        # without starting a worker or importing libcst. In a large run the workers do it,
        # in parallel.
        tasks = _without_tree(tasks, results, config)
    if tasks:
        from linter.engine.pool import IsolatedPool, start_method
    if isolate is None:
        isolate = bool(tasks) and (start_method() == "fork" or len(tasks) >= MIN_FILES_FOR_POOL)
    if not isolate:
        for index, display, data, file_rules in tasks:
            try:
                results[index] = analyze_source(display, data, config, file_rules)
            except Exception as exc:
                results[index] = internal_error_result(display, file_rules, exc)
    elif tasks:
        # one worker per MIN_FILES_FOR_POOL files: a few files get one helper process, not a pool
        workers = min(jobs, max(1, len(tasks) // MIN_FILES_FOR_POOL))
        for index, result in IsolatedPool(config, workers, timeout, _failure).run(tasks).items():
            results[index] = result
    if cache is not None:
        for index in computed:
            if not _transient(results[index]):  # type: ignore[arg-type]
                cache.put(keys[index], results[index])  # type: ignore[arg-type]
    return results  # type: ignore[return-value]


def _without_tree(tasks: list[Task], results: list[FileResult | None], config: "Config") -> list[Task]:
    """Analyze in this process the tasks whose files need no libcst tree; the rest remain."""
    remaining: list[Task] = []
    for task in tasks:
        index, display, data, file_rules = task
        try:
            result = analyze_without_tree(display, data, config, file_rules)
        except Exception as exc:
            result = internal_error_result(display, file_rules, exc)
        if result is None:
            remaining.append(task)
        else:
            results[index] = result
    return remaining


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
    targets: Sequence[Target],
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


def targets_for(files: Sequence[Path]) -> list[Target]:
    return [Target(display_path(path), path) for path in files]
