"""The write lock of an index: one writer at a time, across processes and threads.

``wikiflow index`` and the MCP server's ``write_page`` both change a wiki's index (and
``write_page`` its files). SQLite serialises each transaction, but not a whole run: an index
run reads the files first and writes their records later, and a page written and indexed in
between would have its new record replaced by the run's older one. So both hold this lock for
the whole of their work: a file beside the index (``.wikiflow/index.db.lock``), locked with
``flock``. The lock goes with the process that held it, also when it is killed, so a stale
lock file never blocks anyone. ``flock`` locks of two open files conflict within one process
too, so threads are serialised as well. The holder deletes the file as it lets the lock go,
so nothing is left beside the index; a writer that locked a file deleted meanwhile (it was
waiting on it) opens the new one and tries again.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError

try:
    import fcntl
except ImportError:  # Windows: no flock; SQLite's own transaction is all there is
    fcntl = None  # type: ignore[assignment]

#: Seconds between two tries for a lock that is held.
_POLL = 0.02


def lock_path(index: Path) -> Path:
    """The lock file of the index at ``index``."""
    return index.with_name(index.name + ".lock")


@contextmanager
def write_lock(index: Path, *, timeout: float) -> Iterator[None]:
    """Hold the write lock of the index at ``index``, waiting at most ``timeout`` seconds for
    another writer; a ``StoreError`` says so when it does not finish in time.

    Ctrl-C is held off while the lock file is opened and locked, and let in while waiting
    for another holder: Python raises it at the end of whatever call it lands in, and one
    landing as ``_open`` or ``_hold`` returned lost their result, leaving a lock file (or a
    lock) that nothing would delete (a run stopped as it started)."""
    if fcntl is None:
        yield
        return
    path = lock_path(index)
    held = _hold_signals()
    try:
        descriptor = _hold(path, time.monotonic() + timeout)
    except BaseException:
        _let_signals(held)
        raise
    try:
        _let_signals(held)  # a Ctrl-C held off meanwhile is raised here: the lock is let go
        yield
    finally:
        _release(descriptor, path)


def _hold(path: Path, deadline: float) -> int:
    """The descriptor of the lock file at ``path``, locked (called with Ctrl-C held off)."""
    while True:
        descriptor = _open(path)
        try:
            _acquire(descriptor, path, deadline)
            if _still_there(descriptor, path):
                return descriptor
        except BaseException:  # Ctrl-C while waiting, or the wait's end
            _let_go(descriptor, path)
            raise
        os.close(descriptor)  # deleted by the holder before us: lock the file there now


def _release(descriptor: int, path: Path) -> None:
    path.unlink(missing_ok=True)  # while held: a waiter then finds its file gone
    os.close(descriptor)  # releases the lock


def _let_go(descriptor: int, path: Path) -> None:
    """Close a lock file this process has not locked (stopped while it waited): when no one
    holds it either, it is deleted as a holder deletes it."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held = _still_there(descriptor, path)
    except OSError:  # held by another process, which deletes it when it lets go
        held = False
    if held:
        _release(descriptor, path)
    else:
        os.close(descriptor)


#: The signals that stop a run (Ctrl-C; SIGTERM where the CLI turns it into an unwinding).
_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _hold_signals(how: int = signal.SIG_BLOCK) -> set[signal.Signals] | None:
    """Hold off (or, ``how`` = ``SIG_UNBLOCK``, let in) the signals that stop a run, in this
    thread; what to give ``_let_signals`` (None where threads have no signal mask)."""
    mask = getattr(signal, "pthread_sigmask", None)
    return None if mask is None else mask(how, _STOPPING)


def _let_signals(previous: set[signal.Signals] | None) -> None:
    """Put back the mask ``_hold_signals`` found."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(f"{path}: cannot open the index's write lock: "
                         f"{error.strerror or error}") from error


def _acquire(descriptor: int, path: Path, deadline: float) -> None:
    """Take the lock, trying again until ``deadline`` (a blocking ``flock`` cannot time out)."""
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreError(f"{path}: another process is writing this index (a "
                                 "'wikiflow index' run or a page written through 'wikiflow "
                                 "mcp'); try again when it has finished") from None
            _wait()


def _wait() -> None:
    """Sleep before trying again, with Ctrl-C let in: a long wait can be stopped, and then
    nothing is lost (``_hold`` lets the file go)."""
    held = _hold_signals(signal.SIG_UNBLOCK)
    try:
        time.sleep(_POLL)
    finally:
        _let_signals(held)


def _still_there(descriptor: int, path: Path) -> bool:
    """Whether the locked file is still the one at ``path`` (not deleted by its last holder)."""
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False
