"""The one worker pool: ordered, bounded, failing loudly, and never outliving its parent; and
``wikiflow index`` killed at any moment leaves no process behind."""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.conftest import EXAMPLE_WIKI
from wikiflow import lint_paths
from wikiflow.errors import WorkerError
from wikiflow.workers import map_chunks

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
T = TypeVar("T")
#: Seconds any wait of these tests lasts at most (a loaded machine is slow, never stuck).
BOUND = 60.0
linux_only = pytest.mark.skipif(sys.platform != "linux",
                                reason="reads /proc; workers see test functions when forked")


def squares(numbers: list[int]) -> list[tuple[int, int]]:
    return [(number * number, os.getpid()) for number in numbers]


def failing(numbers: list[int]) -> list[int]:
    if 5 in numbers:
        raise ValueError("a bug on 5")
    return numbers


def dying(numbers: list[int]) -> list[int]:
    if 5 in numbers:
        os._exit(3)
    return numbers


def slow_after_first(numbers: list[int]) -> list[int]:
    if numbers[0] > 0:
        time.sleep(BOUND * 10)  # the test must stop it rather than wait
    return [os.getpid()]


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("chunk", [1, 4, 50])
def test_results_come_in_the_order_of_the_items(workers: int, chunk: int) -> None:
    with map_chunks(squares, range(23), workers=workers, chunk=chunk, ahead=2) as mapped:
        results = list(mapped)
    assert [square for square, _ in results] == [n * n for n in range(23)]
    in_parent = {pid for _, pid in results} == {os.getpid()}
    assert in_parent == (workers == 1)


def resident_mb(numbers: list[int]) -> list[int]:
    """The worker's resident memory, MB (its pages shared with other processes too)."""
    status = Path("/proc/self/status").read_text()
    return [int(status.split("VmRSS:")[1].split()[0]) // 1024 for _ in numbers]


@linux_only
def test_fresh_workers_hold_none_of_the_callers_memory() -> None:
    """A forked worker maps all the caller holds when the pool starts (and keeps a copy of
    what the caller frees or changes later); a fresh one starts from a process of its own."""
    ballast = b"x" * (256 << 20)  # written, so resident in the caller
    with map_chunks(resident_mb, [0, 1], workers=2, chunk=1, ahead=2) as results:
        assert min(results) >= 256
    with map_chunks(resident_mb, [0, 1], workers=2, chunk=1, ahead=2, fresh=True) as results:
        assert max(results) < 128
    del ballast


def test_items_are_read_only_as_far_ahead_as_asked() -> None:
    drawn: list[int] = []

    def items() -> Iterator[int]:
        for number in range(1000):
            drawn.append(number)
            yield number
    with map_chunks(squares, items(), workers=2, chunk=10, ahead=3) as results:
        next(results)
        assert len(drawn) <= (3 + 1) * 10


@linux_only
def test_an_exception_in_a_worker_fails_the_map_with_it() -> None:
    with pytest.raises(ValueError, match="a bug on 5"), \
            map_chunks(failing, range(20), workers=2, chunk=2, ahead=4) as results:
        list(results)


@linux_only
def test_a_worker_that_dies_fails_the_map() -> None:
    with pytest.raises(WorkerError, match="ended unexpectedly"), \
            map_chunks(dying, range(20), workers=2, chunk=2, ahead=4) as results:
        list(results)


@linux_only
def test_a_worker_that_dies_while_the_first_chunks_are_sent_fails_the_map() -> None:
    """The pool breaks before the map has sent its first ``ahead`` chunks (items come slowly,
    the workers die as they start): that is a ``WorkerError`` too, not ``BrokenProcessPool``."""
    def items() -> Iterator[int]:
        yield 0
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:  # until the submit after the workers died raises
            time.sleep(0.01)
            yield 1
    with pytest.raises(WorkerError, match="ended unexpectedly"), \
            map_chunks(squares, items(), workers=2, chunk=1, ahead=10**9,
                       setup=_exit_at_once) as results:
        list(results)


def _exit_at_once() -> None:
    os._exit(3)


@linux_only
@pytest.mark.parametrize("stop", [None, KeyboardInterrupt])
def test_a_map_left_early_kills_its_busy_workers(stop: type[BaseException] | None) -> None:
    """Left by the caller, or by an exception (Ctrl-C) raised in the caller's own code, while
    another worker is asleep in a long task."""
    with contextlib.suppress(KeyboardInterrupt), \
            map_chunks(slow_after_first, range(10), workers=2, chunk=1, ahead=4) as results:
        assert next(results) in _descendants(os.getpid())
        if stop is not None:
            raise stop
    assert _wait_until(lambda: not _descendants(os.getpid())), _descendants(os.getpid())


ORPHANED = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from test_workers import slow_after_first
    from wikiflow.workers import map_chunks
    with map_chunks(slow_after_first, range(10), workers=2, chunk=1, ahead=4,
                    fresh=sys.argv[2] == "fresh") as results:
        next(results)
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup runs: the kernel must end the workers
""")


@linux_only
@pytest.mark.parametrize("start", ["forked", "fresh"])
def test_the_workers_of_a_killed_parent_end(start: str) -> None:
    with _session([sys.executable, "-c", ORPHANED, str(Path(__file__).parent),
                   start]) as process:
        assert process.wait(timeout=BOUND) == -signal.SIGKILL
        assert _wait_until(lambda: not _in_session(process.pid)), _in_session(process.pid)


@linux_only
def test_lint_in_worker_processes_equals_lint_in_one(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                           ignore=shutil.ignore_patterns(".wikiflow"))
    (wiki / "workflows" / "Empty.wiki").write_text("")  # a page with findings to report
    one = lint_paths([str(wiki)], jobs=1)
    assert len(one) >= 4 and any(result.diagnostics for result in one)  # 2 per process
    assert lint_paths([str(wiki)], jobs=2) == one
    # No result holds its page: a run over a wiki would hold every page, and the workers sent
    # each one back at a cost above the lint's (2 processes were slower than 1).
    assert all(result.page is None for result in one)


def test_process_parallelism_is_imported_by_the_workers_module_only() -> None:
    parallel = ("multiprocessing", "concurrent.futures")
    found = []
    for module in sorted((SRC / "wikiflow").rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Attribute) and node.attr in ("fork", "forkpty"):
                names = ["os.fork"]
            else:
                continue
            found += [(module.name, name) for name in names
                      if name == "os.fork" or name.startswith(parallel)]
    assert found and {name for name, _ in found} == {"workers.py"}, found


# -- wikiflow index killed --------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_wiki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated wiki large enough for worker processes, and for a kill to find them busy."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import write_wiki
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder = tmp_path_factory.mktemp("big") / "wiki"
    write_wiki(folder, 3000, 600, 300)
    return folder


#: When a test kills the indexer: once it has its staging file open (listing the wiki), once
#: its workers run (parsing), once the writer has taken 1 MB of their records (writing).
MOMENTS = ("listing", "parsing", "writing")


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("moment", MOMENTS)
def test_a_killed_index_leaves_no_process_and_no_open_staging_file(
        big_wiki: Path, tmp_path: Path, signum: int, moment: str) -> None:
    """SIGKILL and SIGTERM go to the indexer alone (``kill``, ``timeout``, a CI job), SIGINT
    to its whole process group (Ctrl-C in a terminal)."""
    db = tmp_path / "index.db"
    command = [sys.executable, "-m", "wikiflow", "index", str(big_wiki), "--db", str(db),
               "--jobs", "2"]
    with _session(command) as process:
        staged = _wait_for(lambda: _staging_files(process.pid, db), f"{moment}: staging file")
        if moment != "listing":
            _wait_for(lambda: _descendants(process.pid), f"{moment}: worker processes")
        if moment == "writing":
            start = _read_bytes(process.pid)
            _wait_for(lambda: _read_bytes(process.pid) > start + 1_000_000, "records read")
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        code = process.wait(timeout=BOUND)
        assert code == {signal.SIGKILL: -signal.SIGKILL, signal.SIGTERM: 143, signal.SIGINT: 130
                        }[signum]
        assert _wait_until(lambda: not _in_session(process.pid)), _in_session(process.pid)
        assert not _holding(staged)
        if signum != signal.SIGKILL:  # it unwound: no staging file left, nothing half-built
            assert not any(path.exists() for path in staged) and not db.exists()


class _session:
    """A child process in a session of its own (whatever it starts stays in it), killed
    with everything of its session on the way out."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, start_new_session=True, cwd=ROOT,
                                        env={**os.environ, "PYTHONPATH": str(SRC)},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> subprocess.Popen[bytes]:
        return self.process

    def __exit__(self, *exc: object) -> None:
        for pid in [self.process.pid, *_in_session(self.process.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=BOUND)


def _wait_until(condition: Callable[[], object], bound: float = BOUND) -> bool:
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _wait_for(value: Callable[[], T], what: str) -> T:
    """``value()`` once it is true, within the bound."""
    seen: list[T] = []

    def ready() -> T:
        seen[:] = [value()]
        return seen[0]
    if not _wait_until(ready):
        pytest.fail(f"not seen within {BOUND:g} s: {what}")
    return seen[0]


def _stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, fields of /proc/PID/stat after the command name) of every live process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if fields[0] != "Z":  # a zombie holds nothing; reaping it is its new parent's task
            yield int(entry.name), fields


def _descendants(pid: int) -> list[int]:
    parents = {child: int(fields[1]) for child, fields in _stats()}
    found, frontier = [], {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found += frontier
    return found


def _in_session(sid: int) -> list[int]:
    return [pid for pid, fields in _stats() if int(fields[3]) == sid and pid != sid]


def _staging_files(pid: int, db: Path) -> list[Path]:
    """The staging files (``index.db.new-PID``) the process has open."""
    return [path for path in _open_files(pid) if path.name.startswith(f"{db.name}.new-")]


def _open_files(pid: int) -> list[Path]:
    found = []
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                found.append(Path(os.readlink(fd)))
            except OSError:
                continue
    except OSError:  # the process has ended
        pass
    return found


def _holding(paths: list[Path]) -> list[int]:
    """The processes that have one of ``paths`` open."""
    return [pid for pid, _ in _stats() if set(_open_files(pid)) & set(paths)]


def _read_bytes(pid: int) -> int:
    """What the process has read so far, pipes included (``rchar`` of /proc/PID/io)."""
    try:
        text = Path(f"/proc/{pid}/io").read_text()
    except OSError:
        return 0
    return int(text.partition("rchar:")[2].split()[0])
