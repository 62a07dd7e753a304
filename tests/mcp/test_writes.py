"""``write_page`` as a library function: where a page is written, and refusals no client of
the SDK can send (a lone surrogate) or that need another writer (the index's lock)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SRC
from wikiflow.config import Config
from wikiflow.errors import StoreError, WriteRefused
from wikiflow.graph.wiki import Wiki
from wikiflow.mcp import writes
from wikiflow.mcp.tools import get_page

from .conftest import page_bytes

HOLDER = """
import sys, time
from pathlib import Path
from wikiflow.files.lock import write_lock
with write_lock(Path(sys.argv[1]), timeout=5):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture()
def indexed(wiki: Path) -> Wiki:
    opened = Wiki.open(wiki)
    opened.index(jobs=1)
    return opened


def test_a_lone_surrogate_is_refused_and_nothing_written(indexed: Wiki, wiki: Path) -> None:
    before = page_bytes(wiki)
    with pytest.raises(WriteRefused, match="not valid Unicode"):
        writes.write_page(indexed, "Odd", "text \ud800", Config())
    assert page_bytes(wiki) == before


def test_a_page_keeps_its_file_and_a_bare_title_finds_its_namespace(indexed: Wiki,
                                                                    wiki: Path) -> None:
    flat = wiki / "principles" / "Quantization.mediawiki"
    moved = wiki / "Principle_Quantization.mediawiki"  # the flat layout, read the same
    flat.rename(moved)
    indexed.index(jobs=1)
    page = get_page(indexed, "Quantization", Config())
    assert page.page == "Principle:Quantization" and page.text is not None
    result = writes.write_page(indexed, "Quantization", page.text + "\nMore.\n", Config(),
                               base_revision=page.revision)
    assert result.path == "Principle_Quantization.mediawiki" and not flat.exists()
    assert result.revision == hashlib.sha1(moved.read_bytes()).hexdigest()


def test_a_write_while_another_process_holds_the_lock_is_refused(
        indexed: Wiki, wiki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (wiki / "workflows" / "RAG_Pipeline.mediawiki").read_text(encoding="utf-8")
    monkeypatch.setattr(writes, "WRITE_WAIT", 0.2)
    assert indexed.store.path is not None
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(indexed.store.path)],
                              stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": SRC})
    before = page_bytes(wiki)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(StoreError, match="another process is writing this index"):
            writes.write_page(indexed, "Copy_Of_RAG", text, Config())
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert page_bytes(wiki) == before
    assert writes.write_page(indexed, "Copy_Of_RAG", text, Config()).created


def test_forced_pages_with_errors_are_written_and_indexed(indexed: Wiki, wiki: Path) -> None:
    result = writes.write_page(indexed, "Rough_Notes", "== Overview ==\nRough.\n", Config(),
                               force=True)
    assert (wiki / result.path).read_text(encoding="utf-8") == "== Overview ==\nRough.\n"
    assert indexed.locate("Rough_Notes") is not None

