"""The index's write lock (``files.lock``): one writer at a time, across processes and
threads, gone with the process that held it; ``wikiflow index`` takes it for its whole run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_WIKI, SRC
from wikiflow.errors import StoreError
from wikiflow.files import lock as lock_module
from wikiflow.files.lock import lock_path, write_lock
from wikiflow.graph import store as store_module
from wikiflow.graph.wiki import Wiki

HOLDER = """
import sys, time
from pathlib import Path
from wikiflow.files.lock import write_lock
with write_lock(Path(sys.argv[1]), timeout=5):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture()
def wiki_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))


def _holder(index: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the lock of ``index`` for ``seconds`` (once it says so)."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(index), str(seconds)],
                               stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": SRC})
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_writer_waits_then_gives_up_saying_why(tmp_path: Path) -> None:
    index = tmp_path / "index.db"
    holder = _holder(index, 30)
    try:
        with pytest.raises(StoreError, match="another process is writing this index"), \
                write_lock(index, timeout=0.2):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=10)
    with write_lock(index, timeout=5):  # the lock went with the killed process
        assert lock_path(index).exists()
    assert not lock_path(index).exists()  # nothing left beside the index


def test_a_writer_gets_the_lock_once_the_holder_lets_it_go(tmp_path: Path) -> None:
    index = tmp_path / "index.db"
    holder = _holder(index, 0.5)
    try:
        with write_lock(index, timeout=30):
            assert holder.wait(timeout=30) == 0  # held until the other had finished
    finally:
        holder.kill()


def test_a_run_stopped_as_it_takes_the_lock_leaves_no_lock_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C as a run starts (the lock file made, not yet locked) leaves nothing beside the
    index; while another process holds the lock, its file is left to that holder."""
    index = tmp_path / "index.db"

    def stopped(descriptor: int, path: Path, deadline: float) -> None:
        raise KeyboardInterrupt

    acquire = lock_module._acquire
    monkeypatch.setattr(lock_module, "_acquire", stopped)
    with pytest.raises(KeyboardInterrupt), write_lock(index, timeout=5):
        pass
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(lock_module, "_acquire", acquire)
    holder = _holder(index, 30)
    try:
        monkeypatch.setattr(lock_module, "_acquire", stopped)
        with pytest.raises(KeyboardInterrupt), write_lock(index, timeout=5):
            pass
        assert lock_path(index).exists()  # the holder's
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_threads_of_one_process_are_serialised(tmp_path: Path) -> None:
    index, inside, overlaps = tmp_path / "index.db", [], []

    def work() -> None:
        for _ in range(20):  # the file is deleted and made again between holders
            with write_lock(index, timeout=60):
                inside.append(1)
                overlaps.append(len(inside))
                time.sleep(0.002)
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert overlaps == [1] * 320 and not lock_path(index).exists()


def test_an_index_run_waits_for_the_write_lock(wiki_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A page written through ``wikiflow mcp`` and an index run never interleave."""
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        index = wiki.store.path
    assert index is not None
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    holder = _holder(index, 30)
    try:
        with Wiki.open(wiki_dir) as wiki:
            with pytest.raises(StoreError, match="another process is writing this index"):
                wiki.index(jobs=1)
            with pytest.raises(StoreError, match="another process is writing this index"):
                wiki.index_files(["workflows/RAG_Pipeline.mediawiki"])
    finally:
        holder.kill()
        holder.wait(timeout=10)
    with Wiki.open(wiki_dir) as wiki:
        assert wiki.index(jobs=1).unchanged > 0
