"""Process parallelism, in this one module (STYLE.md §1): an ordered map over the standard
library's process pool, shared by the indexer (workers read and parse, the calling process
writes), the site's build (workers finish pages, the calling process writes them) and
``lint --jobs``.

Workers die with the process that started them. On Linux each asks the kernel, when it starts,
to be killed when its parent ends (``PR_SET_PDEATHSIG``), so a writer killed by ``kill -9``, by
``timeout`` or by a cancelled CI job leaves no worker behind holding its files open; the pool
itself notices a worker that dies (``BrokenProcessPool``, raised here as ``WorkerError``).
Nothing polls. A large index run's workers are started fresh, by a fork server, rather than
forked from the writer: they then hold no copy of what the writer holds (``map_chunks``).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from .errors import WorkerError

T = TypeVar("T")
R = TypeVar("R")

#: Below this many pages, worker processes cost more than they save: starting them and
#: passing pages to and fro is more than their share of the work. The index reads and parses
#: each page; a site build finishes each one from its draft, where finishing a corpus wiki of
#: 117 pages in one process took 14% less wall time than with two workers, and one of 568
#: pages took the same.
PARALLEL_THRESHOLD = 400
#: How far below the calling process (the index's writer, the site's) its workers run
#: (``settle_worker``).
WORKER_NICENESS = 10
#: The collector's thresholds while pages are parsed (``settle_worker``), in the writer too.
PARSE_GC_THRESHOLDS = (20_000, 50, 1000)
#: ``prctl`` option (linux/prctl.h): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1
#: Linux forks the workers: they start in milliseconds with the caller's modules loaded, and
#: the caller is their parent, whose death ``PR_SET_PDEATHSIG`` watches (a fresh worker's
#: parent is the fork server: see ``_release_fork_server``). Other systems use their default
#: start method.
_CONTEXT = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
#: Workers that share nothing with the caller (``map_chunks(fresh=True)``): on Linux, forked by
#: a fork server, a process of its own started for the map; elsewhere the default method
#: already starts them afresh.
_FRESH = multiprocessing.get_context("forkserver") if sys.platform == "linux" else _CONTEXT


def settle_worker(*, below_caller: bool = True) -> None:
    """Set up a worker that reads and parses pages (``map_chunks``' ``setup``). With
    ``below_caller`` it runs below the calling process, when that process writes every
    result (the index, the site): when the cores are busier than the workers (other work on
    the machine), the caller keeps a core, and at equal priority it got only its share of one
    (``bench/bench_index.py``). Workers still take any idle core."""
    if below_caller and hasattr(os, "nice"):  # Unix only
        os.nice(WORKER_NICENESS)
    # What the worker inherited (the caller's or the fork server's objects) is never garbage
    # here: out of the collector's sight, full collections neither walk it nor copy its
    # pages. A parse makes thousands of short-lived objects, so young collections run less
    # often (5% less CPU in a loop that reads and parses the generated wiki's pages as an
    # index worker does; 2.5% of a site build's workers at 4,000 pages; 10% of
    # ``lint --jobs 2``'s on them).
    gc.freeze()
    gc.set_threshold(*PARSE_GC_THRESHOLDS)


@contextmanager
def few_collections() -> Iterator[None]:
    """Run a caller that takes what workers make (the index's writer, the site's) with the
    collector's thresholds of the workers (``settle_worker``), then restore its own. Such a
    caller makes an object for every page, and at the default thresholds each full
    collection walks all it holds: 2.6-3.0 s of the index writer's time at 400,000 pages
    (0.1 s at these), and a third of reading a 400,000-page site catalog."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*PARSE_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def processes(jobs: int) -> int:
    """How many worker processes ``--jobs`` asks for: 0 means one per core."""
    return (os.cpu_count() or 1) if jobs == 0 else jobs


@contextmanager
def map_chunks(function: Callable[[list[T]], list[R]], items: Iterable[T], *, workers: int,
               chunk: int, ahead: int, setup: Callable[[], None] | None = None,
               fresh: bool = False) -> Iterator[Iterator[R]]:
    """``function`` over ``items`` in lists of ``chunk``, its results in the order of the items:
    ``with map_chunks(...) as results: for result in results: ...``.

    With ``workers`` > 1 the lists go to that many worker processes (which run ``setup`` once
    when they start), at most ``ahead`` lists beyond the one being consumed: the results the
    caller has not taken yet stay bounded however slowly it takes them, and ``items`` is read
    as it goes. Otherwise the lists are mapped in this process. A worker that raises fails the
    map with its exception; one that dies, with ``WorkerError``. The workers live as long as
    the ``with`` block: leaving it before every result is taken (an error, Ctrl-C, the
    caller stopping) kills them rather than letting them finish what was sent to them.

    ``fresh`` workers are not forks of the caller but of a fork server, which has imported
    only the module of ``function``: a forked worker keeps a copy of every page of the
    caller's memory that the caller frees or changes after the fork, and a caller that holds
    much when the pool starts (the indexer: the listing of a large wiki) pays for it once in
    itself and once more in its workers. Starting them costs some 0.3 s. As with the spawn
    start method (the default on macOS), they import the caller's main script again, so a
    script must start its work under ``if __name__ == "__main__":``.
    """
    iterator = iter(items)
    chunks: Iterator[list[T]] = iter(lambda: list(islice(iterator, chunk)), [])
    if workers <= 1:
        yield (result for part in chunks for result in function(part))
        return
    context = _FRESH if fresh else _CONTEXT
    if context.get_start_method() == "forkserver":
        # Only the module the workers run, not the caller's __main__ (the default): the
        # ``wikiflow`` command's runs the command.
        context.set_forkserver_preload([getattr(function, "func", function).__module__])
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(), context.get_start_method() != "forkserver",
                                         setup))
    pending: deque[Future[list[R]]] = deque()
    try:
        # The first submit forks the workers; a worker that dies meanwhile breaks a later one.
        with _signals_held(), _broken_as_worker_error():
            pending.extend(pool.submit(function, part) for part in islice(chunks, ahead))
        yield _in_order(pool, function, chunks, pending)
    finally:
        if pending:
            _kill(pool)
        else:
            pool.shutdown()
        if context.get_start_method() == "forkserver":
            _stop_fork_server()


def _in_order(pool: ProcessPoolExecutor, function: Callable[[list[T]], list[R]],
              chunks: Iterator[list[T]], pending: deque[Future[list[R]]]) -> Iterator[R]:
    """The results of the ``pending`` tasks in turn, a new chunk sent for each one taken."""
    while pending:
        with _broken_as_worker_error():  # seen by the next result, or by the next submit
            results = pending[0].result()
            pending.popleft()
            pending.extend(pool.submit(function, part) for part in islice(chunks, 1))
        yield from results


#: Signals that stop a run by unwinding the caller (Ctrl-C; SIGTERM when the CLI handles it).
_STOPPING = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the pool forks its workers, and deliver them once it
    knows them all: an interrupt between two forks left a worker the pool had not recorded,
    which it could not kill, and which the exiting caller then waited for forever."""
    hold = getattr(signal, "pthread_sigmask", None)  # not on Windows
    if hold is None:
        yield
        return
    previous = hold(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        hold(signal.SIG_SETMASK, previous)


@contextmanager
def _broken_as_worker_error() -> Iterator[None]:
    try:
        yield
    except BrokenProcessPool as error:
        raise WorkerError(f"a worker process ended unexpectedly ({error})") from error


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: its workers may be deep in a long task, or left at the mercy of
    a caller that is itself being stopped. (Python 3.14 has ``terminate_workers``; before it,
    the pool's processes and result pipe are reached through its private attributes.)

    A worker killed halfway through sending a result leaves the pool's thread waiting for the
    rest of it, and the interpreter's exit waiting for that thread, forever: the pipe's other
    writer is this process. Closing it once the workers are gone ends the wait."""
    running = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in running:
        process.kill()
    for process in running:
        process.join()
    if results is not None:
        results._writer.close()


def _start_worker(caller: int, forked: bool, setup: Callable[[], None] | None) -> None:
    """Set up a worker process: it dies with ``caller``, and leaves Ctrl-C (which the whole
    terminal group gets) to the caller, which stops the workers; a ``SIGTERM`` handler the
    caller set is not the worker's. ``forked``: the caller is the worker's parent, rather than
    a fork server (see ``_die_with_parent``)."""
    _die_with_parent(caller, forked)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held while the pool forked (``_signals_held``)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    if setup is not None:
        setup()


def _die_with_parent(caller: int, forked: bool) -> None:
    """Have the kernel kill this process when its parent ends (Linux). The parent is
    ``caller`` when ``forked``: if it has already ended, between the fork and this call, end
    now. Otherwise it is the fork server, which ends once ``caller`` has (see
    ``_release_fork_server``)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"prctl(PR_SET_PDEATHSIG): {os.strerror(error)}")
    if not forked:
        _release_fork_server()
    elif os.getppid() != caller:
        os._exit(1)


def _release_fork_server() -> None:
    """Close this worker's copy of the fork server's "alive" pipe. The server ends when every
    writer of that pipe has closed it: the caller (ending closes it) and, as the standard
    library hands one to each process the server starts, every worker. Workers kept alive
    waiting for work would keep the server alive, and so themselves, after a ``kill -9`` of
    the caller; without the copies, the server ends with the caller, and the kernel ends
    the workers with it (``PR_SET_PDEATHSIG``, set first: the server cannot end before).
    The pipe is a private attribute of ``multiprocessing.forkserver``."""
    from multiprocessing import forkserver  # a worker of the fork server has it loaded

    server = forkserver._forkserver
    if getattr(server, "_forkserver_alive_fd", None) is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None


def _stop_fork_server() -> None:
    """End the fork server and the resource tracker it started, once the workers are gone:
    nothing a map started outlives it (a process that indexes again starts them again, in
    a fraction of a second). Both through the standard library's private ``_stop``."""
    from multiprocessing import forkserver, resource_tracker

    forkserver._forkserver._stop()
    if resource_tracker._resource_tracker._pid is not None:  # started by this process
        resource_tracker._resource_tracker._stop()
