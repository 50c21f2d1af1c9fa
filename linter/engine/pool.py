"""Worker processes that analyze files where a crash or a hang cannot take the run down.

libcst's native parser can overflow its stack (and kill the process) on deeply nested
code, and some inputs make it run for a very long time; neither can be caught inside the
process. So the parse runs in worker processes that the parent watches:

- a worker that dies while analyzing a file makes that file an AIL000 ("the parser
  crashed"), and the files it had not finished go to a fresh worker;
- a file that takes longer than the per-file budget makes its worker be killed and the
  file an AIL000 ("analysis timed out"), the same way.

Workers are started as the stream of files needs them (each imports libcst and the
engine's tree half itself, first thing, and inherits the rest where `fork` is available)
and fed small chunks of files, one chunk at a time, so the per-file budget can be tracked from the stream of results and the
pipes never fill in both directions at once. Results are put back in input order, so the
output does not depend on scheduling. Everything a worker receives is picklable and its
entry point is a module-level function: it runs under `spawn` too.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from linter.engine import head_start
from linter.engine.head_start import start_method
from linter.findings import FileResult

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rules.base import Rule

#: (index, display path, bytes, rule classes)
Task = tuple[int, str, bytes, tuple[type["Rule"], ...]]
#: what the parent makes of a file whose worker crashed or timed out
Failure = Callable[[Task, str], FileResult]


#: allocations between two young-generation collections in a worker (CPython's default is
#: 700): about 1.5% fewer instructions on a large corpus, memory unchanged
WORKER_GC_THRESHOLD = 20_000

#: what a worker sends once it has imported everything, before its first result: a file's
#: time budget runs from then, not from when the file was sent (the imports are no file's)
_READY = "ready"

#: how long a worker may take to start and import libcst before its first file's budget
#: runs anyway (a worker that never gets there is treated like one that hangs on a file)
STARTUP_BUDGET = 60.0


#: the Python frames a worker's analysis may use above `_worker_main` (CPython's default limit)
RECURSION_HEADROOM = 1000


def _stack_depth() -> int:
    depth, frame = 0, sys._getframe(1)
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def _worker_main(conn: Connection, config: "Config | None") -> None:
    """A worker: import the engine once, then analyze chunks until told to stop. Without a
    `config` (a head start, forked before there was one), the first message is the config."""
    # the parent handles Ctrl-C; a worker just stops when its pipe closes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from linter.engine.analyze import analyze_contained, load_tree_engine
    from linter.rules import all_rules

    # Import every rule module, libcst and the engine's tree half now, not on the first file:
    # a worker started for a stream does this while its parent still reads and hashes files
    # (a forked one may have inherited them all already).
    all_rules()
    load_tree_engine()
    # Everything imported so far lives as long as the worker: keep it out of the cyclic
    # garbage collector, whose full collections would otherwise walk it over and over (and,
    # after a fork, touch every inherited page). A parse allocates hundreds of thousands of
    # nodes that reference counting frees; the collector runs for them less often.
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    # The same recursion headroom in every worker, however deep the call that started it (a
    # head start begins some 20 frames above a pool's forked worker, a spawned one elsewhere
    # again): a file nested close to the limit gets one verdict, whichever worker it lands on.
    sys.setrecursionlimit(RECURSION_HEADROOM + _stack_depth())
    try:
        conn.send(_READY)
        if config is None:
            config = conn.recv()
    except (EOFError, OSError):
        return
    if config is None:
        return
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, display, data, rules in chunk:
            result = analyze_contained(display, data, config, rules)
            conn.send((index, result))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    inflight: deque = field(default_factory=deque)
    #: when the file at the head of `inflight` started (its budget runs from here)
    head_since: float = 0.0
    #: whether it was ever given work (one started ahead of need may not be)
    used: bool = False
    #: when it was started, and whether it has said it is ready (_READY)
    started: float = field(default_factory=time.monotonic)
    ready: bool = False

    def budget_start(self) -> float:
        """When the file now at the head of `inflight` starts using its time budget."""
        return time.monotonic() if self.ready else self.started + STARTUP_BUDGET


class IsolatedPool:
    """Analyze tasks in up to `jobs` worker processes with a per-file time budget.

    Tasks come as a stream: `submit` each as the caller finds it (that also keeps the
    workers fed), and `finish` to wait for the rest. The first worker starts with the first
    task, and one more for every `files_per_worker` tasks submitted: a run that turns out to
    have a single file to parse uses a single helper process, which is at work (importing
    libcst first) while the caller still reads and hashes the other files.
    """

    def __init__(
        self, config: "Config", jobs: int, timeout: float, on_failure: Failure, files_per_worker: int = 1
    ) -> None:
        self._config = config
        self._jobs = max(1, jobs)
        self._timeout = timeout
        self._on_failure = on_failure
        self._files_per_worker = max(1, files_per_worker)
        self._context = multiprocessing.get_context(start_method())
        self._workers: list[_Worker] = []
        self._pending: deque[Task] = deque()
        self._results: dict[int, FileResult] = {}
        self._submitted = 0

    def _start(self) -> _Worker:
        adopted = head_start.take() if self._context.get_start_method() == "fork" else None
        if adopted is not None:
            conn = Connection(adopted.channel.detach())
            try:
                conn.send(self._config)
            except OSError:
                pass  # it died: the wait on its sentinel sees it
            except BaseException:  # an interrupt: no one would stop it otherwise
                adopted.kill()
                adopted.join()
                conn.close()
                raise
            return _Worker(adopted, conn, started=adopted.started)
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker_main, args=(child, self._config), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _stop(worker: _Worker, kill: bool = False) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        worker.process.join(timeout=5)
        if worker.process.is_alive():  # pragma: no cover - a worker that ignores its stop
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def submit(self, task: Task) -> None:
        """Queue one task; a worker takes it as soon as one is free (see `poll`)."""
        self._pending.append(task)
        self._submitted += 1
        self._step(block=False)  # collect what is in, feed idle workers; never waits

    def finish(self) -> dict[int, FileResult]:
        """Wait for every submitted task; their results by task index. Stops the workers."""
        try:
            while self._pending or any(w.inflight for w in self._workers):
                self._step(block=True)
        finally:
            self.finish_abruptly()
        return self._results

    def finish_abruptly(self) -> None:
        """Kill the workers still busy (or never used), stop the idle ones; forget what was
        pending."""
        self._pending.clear()
        for worker in self._workers:
            self._stop(worker, kill=bool(worker.inflight) or not worker.used)
        self._workers = []

    def _step(self, block: bool) -> None:
        wanted = min(self._jobs, max(1, self._submitted // self._files_per_worker))
        while len(self._workers) < wanted:
            self._workers.append(self._start())
        # small chunks: few round trips, yet an even spread and a precise per-file budget
        chunk_size = max(1, min(8, len(self._pending) // (len(self._workers) * 8)))
        self._feed(self._pending, chunk_size)
        if any(w.inflight for w in self._workers):
            self._collect(self._results, self._pending, block)

    def _feed(self, pending: deque[Task], chunk_size: int) -> None:
        for worker in list(self._workers):
            if worker.inflight or not pending:
                continue
            if _has_exited(worker.process):
                worker = self._renew(worker)  # it died idle (while importing, say): no file to blame
            self._absorb_ready(worker)
            chunk = [pending.popleft() for _ in range(min(chunk_size, len(pending)))]
            worker.inflight.extend(chunk)
            worker.used = True
            worker.head_since = worker.budget_start()
            try:
                worker.conn.send(chunk)
            except OSError:
                pass  # it died; _collect sees its sentinel and deals with it

    def _collect(self, results: dict[int, FileResult], pending: deque[Task], block: bool = True) -> None:
        busy = [w for w in self._workers if w.inflight]
        now = time.monotonic()
        deadline = min(w.head_since for w in busy) + self._timeout
        waitables: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(waitables, timeout=max(0.0, deadline - now) if block else 0))
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                if not self._drain(worker, results):
                    self._replace(worker, results, pending, "the parser crashed ({}); the code is probably nested too deeply")
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.inflight and now - worker.head_since > self._timeout:
                self._replace(worker, results, pending, f"analysis timed out after {self._timeout:g} s")

    @staticmethod
    def _absorb_ready(worker: _Worker) -> None:
        """Take an idle worker's _READY off its pipe, if it has come."""
        if not worker.ready:
            try:
                if worker.conn.poll() and worker.conn.recv() == _READY:
                    worker.ready = True
            except (EOFError, OSError):
                pass  # it died: the wait on its sentinel sees it

    def _drain(self, worker: _Worker, results: dict[int, FileResult]) -> bool:
        """Read every message the worker has sent; False if it died."""
        try:
            while worker.inflight and worker.conn.poll():
                message = worker.conn.recv()
                if message == _READY:
                    worker.ready = True
                    worker.head_since = time.monotonic()  # the budget of the file at the head starts now
                    continue
                index, result = message
                task = worker.inflight.popleft()
                assert task[0] == index
                results[index] = result
                worker.head_since = time.monotonic()
        except (EOFError, OSError):
            return False
        return not _has_exited(worker.process) or not worker.inflight

    def _replace(self, worker: _Worker, results: dict[int, FileResult], pending: deque[Task], reason: str) -> None:
        """Blame the file at the head of the worker's chunk, requeue the rest, start a new worker."""
        self._stop(worker, kill=True)
        if "{}" in reason:
            code = worker.process.exitcode
            reason = reason.format(_describe_exit(code))
        task = worker.inflight.popleft()
        results[task[0]] = self._on_failure(task, reason)
        pending.extendleft(reversed(worker.inflight))
        worker.inflight.clear()
        self._renew(worker)

    def _renew(self, worker: _Worker) -> _Worker:
        """Stop `worker` (killed, if it still runs) and put a fresh one in its place."""
        if not worker.conn.closed:
            self._stop(worker, kill=True)
        fresh = self._workers[self._workers.index(worker)] = self._start()
        return fresh


def _has_exited(process: Any) -> bool:
    """Whether a worker process has exited. Its sentinel says so first: it is readable once
    the process has closed its files on the way out, when `waitpid(WNOHANG)` (`is_alive`)
    may still find it running, and a file handed to it then would be blamed for its death."""
    sentinel = process.sentinel
    if sentinel >= 0 and wait([sentinel], 0):
        process.join()
    return not process.is_alive()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "worker stopped"
    if code < 0:
        try:
            return f"worker killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker killed by signal {-code}"
    return f"worker exited with status {code}"
