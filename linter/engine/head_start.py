"""A worker forked when `ailint check` starts, before the command line imports anything.

In a one-file run (a pre-commit hook, an editor) the file's worker spends most of the run
importing libcst (some 250 node dataclasses) and the engine. Forked by the pool, it would
start only after the parent has imported click, the configuration, the rules and the pool,
and read and pre-filtered the file; forked first thing, it imports libcst while the parent
does all that, on another core. The pool (engine/pool.py) adopts it as its first worker;
if no file needs a tree (or the cache answers every file), it is killed unused at exit.

This module imports only what forking needs (`os`, `socket`, `select`): whatever the
parent imports before the fork delays the worker's start, and `multiprocessing` alone
takes longer to import than the fork itself. So the worker is a bare `os.fork`, wrapped in
the small process handle the pool needs (`HeadStart`), and speaks the pool's worker
protocol (`pool._worker_main`) over a socket pair, its configuration sent once adopted.
Linux only, like the pool's `fork` start (start_method), and only with a second core.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import sys
import time


def start_method() -> str:
    """`fork` where it is safe and cheap (Linux: workers inherit the imported engine), else `spawn`."""
    override = os.environ.get("AILINT_START_METHOD")
    if override:
        return override
    return "fork" if sys.platform.startswith("linux") else "spawn"


class HeadStart:
    """The handle of a forked worker: what the pool asks of a `multiprocessing.Process`
    (`is_alive`, `sentinel`, `kill`, `join`, `exitcode`), for a process it did not start."""

    def __init__(self, pid: int, sentinel: int, channel: socket.socket) -> None:
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
        """As `Process.is_alive` (a worker on its way out may still count as running: the
        pool looks at its sentinel first, `pool._has_exited`)."""
        self._reap(os.WNOHANG)
        return self.exitcode is None

    def kill(self) -> None:
        if self.is_alive():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def join(self, timeout: float | None = None) -> None:
        """Wait for the exit (`select`, not multiprocessing: a run that never adopted the
        head start must not import multiprocessing only to end it), then release the
        sentinel, which nothing waits on once the exit is known."""
        if self.exitcode is None and select.select([self.sentinel], [], [], timeout)[0]:
            self._reap(0)
        if self.exitcode is not None and self.sentinel >= 0:
            os.close(self.sentinel)
            self.sentinel = -1


_waiting: HeadStart | None = None


def wanted(arguments: list[str]) -> bool:
    """Whether this command line is a `check` that may parse files in workers, on a machine
    with a second core for the head start to use (on one, it would only slow the parent)."""
    command = next((a for a in arguments if not a.startswith("-")), None)
    return (
        command == "check"
        and not {"--help", "-h"} & set(arguments)
        and start_method() == "fork"
        and _usable_cores() > 1
    )


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start() -> None:
    """Fork the worker now (once); without one where the system refuses (no process or file
    descriptor left): the pool starts its own. The child never returns from here."""
    global _waiting
    if _waiting is not None:
        return
    opened: list = []
    try:
        ours, theirs = socket.socketpair()
        opened += [ours, theirs]
        sentinel_read, sentinel_write = os.pipe()
        opened += [sentinel_read, sentinel_write]
        # Ctrl-C stays pending until the child ignores it: one delivered between the fork
        # and that would make the child run the parent's code on
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
            if pid == 0:  # the worker
                status = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                    ours.close()
                    os.close(sentinel_read)
                    _serve(theirs)
                    status = 0
                finally:
                    os._exit(status)  # never run the parent's code, atexit hooks or buffered output
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    except OSError:
        for item in opened:
            if isinstance(item, int):
                os.close(item)
            else:
                item.close()
        return
    theirs.close()
    os.close(sentinel_write)
    _waiting = HeadStart(pid, sentinel_read, ours)


def _serve(channel: socket.socket) -> None:
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
    waiting.channel.close()
