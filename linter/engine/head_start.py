"""A worker forked when `ailint check` starts, before the command line imports anything.

In a one-file run (a pre-commit hook, an editor) the file's worker spends most of the run
importing libcst (some 250 node dataclasses) and the engine; until now the parent had
imported click, the configuration, the rules and the pool first, read and pre-filtered the
file, and only then forked. Started first thing, the worker imports libcst while the parent
does all that, on another core. The pool (engine/pool.py) adopts it as its first worker;
if no file needs a tree (or the cache answers every file), it is killed unused at exit.

This module imports only what forking needs (`os`, `socket`), because everything the
parent imports before the fork delays the worker's start: `multiprocessing` alone takes
longer to import than the fork itself. So the worker is a bare `os.fork`, wrapped in the
small process handle the pool needs (`HeadStart`), and speaks the pool's worker protocol
(`pool._worker_main`) over a socket pair, with its configuration sent once adopted.
Linux only, like the pool's `fork` start (start_method).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any


def start_method() -> str:
    """`fork` where it is safe and cheap (Linux: workers inherit the imported engine), else `spawn`."""
    override = os.environ.get("AILINT_START_METHOD")
    if override:
        return override
    return "fork" if sys.platform.startswith("linux") else "spawn"


class HeadStart:
    """The handle of a forked worker: what the pool asks of a `multiprocessing.Process`
    (`is_alive`, `sentinel`, `kill`, `join`, `exitcode`), for a process it did not start."""

    def __init__(self, pid: int, sentinel: int, channel: Any) -> None:
        self.pid = pid
        #: readable (end of file) once the worker has exited: it holds the other end
        self.sentinel = sentinel
        #: the parent's end of the socket pair, a socket until the pool wraps it
        self.channel = channel
        self.started = time.monotonic()
        self.exitcode: int | None = None

    def _reap(self, flags: int) -> None:
        if self.exitcode is not None:
            return
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:
            self.exitcode = -signal.SIGKILL  # reaped elsewhere; it is gone either way
            return
        if pid:
            self.exitcode = os.waitstatus_to_exitcode(status)

    def is_alive(self) -> bool:
        self._reap(os.WNOHANG)
        return self.exitcode is None

    def kill(self) -> None:
        if self.is_alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def join(self, timeout: float | None = None) -> None:
        from multiprocessing.connection import wait

        if self.exitcode is None and wait([self.sentinel], timeout):
            self._reap(0)

    def close(self) -> None:
        """Release the sentinel (after join)."""
        if self.sentinel >= 0:
            os.close(self.sentinel)
            self.sentinel = -1


_waiting: HeadStart | None = None


def wanted(arguments: list[str]) -> bool:
    """Whether this command line is a `check` that may parse files in workers."""
    return "check" in arguments and start_method() == "fork"


def start() -> None:
    """Fork the worker now (once). The child never returns from here."""
    global _waiting
    if _waiting is not None:
        return
    import socket

    ours, theirs = socket.socketpair()
    sentinel_read, sentinel_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
            ours.close()
            os.close(sentinel_read)
            _serve(theirs)
            status = 0
        finally:
            os._exit(status)  # never run the parent's code, atexit hooks or buffered output
    theirs.close()
    os.close(sentinel_write)
    _waiting = HeadStart(pid, sentinel_read, ours)


def _serve(channel: Any) -> None:
    """The worker's side: the pool's worker loop, told its configuration on adoption."""
    try:
        from multiprocessing.connection import Connection

        from linter.engine.pool import _worker_main

        _worker_main(Connection(channel.detach()), None)
    except BaseException:  # noqa: BLE001 - a broken head start is replaced by an ordinary worker
        os._exit(1)


def take() -> HeadStart | None:
    """The waiting worker, for the pool to adopt (None when there is none, or it died)."""
    global _waiting
    waiting, _waiting = _waiting, None
    if waiting is not None and not waiting.is_alive():
        _dispose(waiting)
        return None
    return waiting


def discard() -> None:
    """Kill the worker if nothing adopted it (at exit)."""
    waiting = take()
    if waiting is not None:
        _dispose(waiting)


def _dispose(waiting: HeadStart) -> None:
    waiting.kill()
    waiting.join()
    waiting.close()
    if hasattr(waiting.channel, "close"):
        waiting.channel.close()
