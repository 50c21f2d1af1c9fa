"""The worker pool (engine/pool.py): which worker a file goes to."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque

from linter.config import Config
from linter.engine.pool import IsolatedPool, _Worker
from linter.findings import FileResult


class _Exiting:
    """A worker process on its way out: it has closed its files (its sentinel is readable),
    while `waitpid(WNOHANG)` still finds it running, until someone waits for it."""

    def __init__(self) -> None:
        read, write = os.pipe()
        os.close(write)
        self.sentinel = read
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> None:
        self.exitcode = -9

    def kill(self) -> None:
        pass


def test_a_worker_on_its_way_out_is_replaced_before_it_is_handed_a_file() -> None:
    pool = IsolatedPool(Config(), 1, 30.0, lambda task, reason: FileResult(path=task[1], not_analyzed=reason))
    ours, theirs = multiprocessing.Pipe()
    exiting = _Worker(_Exiting(), ours)
    replacement = _Worker(_Exiting(), theirs)
    replacement.process.exitcode = None
    replacement.process.sentinel = -1  # a live one: nothing to read
    pool._workers = [exiting]
    renewed: list[_Worker] = []

    def renew(worker: _Worker) -> _Worker:
        renewed.append(worker)
        pool._workers[pool._workers.index(worker)] = replacement
        return replacement

    pool._renew = renew  # type: ignore[method-assign]
    task = (0, "a.py", b"x = 1\n", ())
    pool._feed(deque([task]), 1)
    assert renewed == [exiting]
    assert list(replacement.inflight) == [task] and not exiting.inflight
    os.close(exiting.process.sentinel)
