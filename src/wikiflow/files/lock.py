"""The write lock of an index: one writer at a time, across processes and threads.

``wikiflow index`` and the MCP server's ``write_page`` both change a wiki's index (and
``write_page`` its files). SQLite serialises each transaction, but not a whole run: an index
run reads the files first and writes their records later, and a page written and indexed in
between would have its new record replaced by the run's older one. So both hold this lock for
the whole of their work: a file beside the index (``.wikiflow/index.db.lock``), locked with
``flock``. The lock goes with the process that held it, also when it is killed, so a stale
lock file never blocks anyone. ``flock`` locks of two open files conflict within one process
too, so threads are serialised as well.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError

try:
    import fcntl
except ImportError:  # Windows: no flock; the index's own SQLite transaction is all there is
    fcntl = None  # type: ignore[assignment]

#: Seconds between two tries for a lock that is held.
_POLL = 0.02


def lock_path(index: Path) -> Path:
    """The lock file of the index at ``index``."""
    return index.with_name(index.name + ".lock")


@contextmanager
def write_lock(index: Path, *, timeout: float) -> Iterator[None]:
    """Hold the write lock of the index at ``index``, waiting at most ``timeout`` seconds for
    another writer; a ``StoreError`` says so when it does not finish in time."""
    path = lock_path(index)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(f"{path}: cannot open the index's write lock: "
                         f"{error.strerror or error}") from error
    try:
        _acquire(descriptor, path, timeout)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, path: Path, timeout: float) -> None:
    """Take the lock, trying again until ``timeout`` (a blocking ``flock`` cannot time out)."""
    if fcntl is None:
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreError(f"{path}: another process is writing this index (a "
                                 "'wikiflow index' run or a page written through 'wikiflow "
                                 "mcp'); try again when it has finished") from None
            time.sleep(_POLL)
