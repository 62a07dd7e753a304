"""The listing digest: a run with no change stops at once, also right after ``index_files``,
and never when a file changed since (issue 18)."""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wikiflow import Wiki
from wikiflow.files import layout
from wikiflow.files.layout import pack_lines, page_file, unpack_lines
from wikiflow.graph import indexer
from wikiflow.graph.listing import FIND_PATCHES, changed_files, unpatched
from wikiflow.graph.store import Store

from .test_store import EXAMPLE_WIKI

WORKFLOWS = ("QLoRA_Fine_Tuning", "RAG_Pipeline")


def _copy(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    return Path(shutil.copytree(EXAMPLE_WIKI, folder, ignore=shutil.ignore_patterns(".wikiflow")))


def _comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the runs that compare every file's stamps (the slow path)."""
    calls: list[int] = []
    compare = indexer.changed_files

    def counted(*args, **kwargs):
        calls.append(1)
        return compare(*args, **kwargs)

    monkeypatch.setattr(indexer, "changed_files", counted)
    return calls


def test_a_run_after_index_files_takes_the_fast_path(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    wiki_dir = _copy(tmp_path / "wiki")
    page = wiki_dir / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
    added = wiki_dir / "principles" / "Brand_New.mediawiki"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        page.write_text(page.read_text().replace("Principle:Quantization", "Principle:Moved"))
        added.write_text("== Overview ==\nA new principle.\n")
        wiki.index_files([page, added])
        calls = _comparisons(monkeypatch)
        stats = wiki.index(jobs=1)
        assert calls == [] and stats.changed_keys == []
        assert wiki.show("Principle:Brand_New")["exists"] is True
        steps = wiki.show("QLoRA_Fine_Tuning")["steps"]
        assert "Principle:Moved" in {step["principle"] for step in steps}
        # The digest now holds the current listing: the next run is fast with no patch left.
        assert wiki.store.listing_patches() == {}
        wiki.index(jobs=1)
        assert calls == []


def test_a_file_changed_again_after_index_files_is_read(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    wiki_dir = _copy(tmp_path / "wiki")
    page = wiki_dir / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        page.write_text(page.read_text() + "\nFirst edit.\n")
        wiki.index_files([page])
        page.write_text(page.read_text() + "\nSecond edit, not indexed yet.\n")
        calls = _comparisons(monkeypatch)
        assert wiki.index(jobs=1).changed_keys == ["Workflow:QLoRA_Fine_Tuning"]
        assert calls == [1]


def _rows(db: Path) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT path, hash FROM files ORDER BY path").fetchall(),
                conn.execute("SELECT key, exists_ FROM pages ORDER BY key").fetchall())
    finally:
        conn.close()


#: (what, which workflow): edit it (new text, new stamp), put it back as it first was (same
#: bytes, same stamp), index it alone (``index_files``), or index the whole folder.
STEPS = st.lists(st.tuples(st.sampled_from(("edit", "put back", "index file", "index")),
                           st.sampled_from(range(len(WORKFLOWS)))), max_size=8)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(steps=[("edit", 0), ("index file", 0), ("put back", 0)])
def test_incremental_runs_equal_a_fresh_index(tmp_path: Path, steps: list[tuple[str, int]]
                                              ) -> None:
    # Whatever mix of edits, put-backs and single-file updates came before, a full run leaves
    # the index a fresh index of the folder would make.
    wiki_dir = _copy(tmp_path / "wiki")
    db = tmp_path / "incremental.db"
    fresh_db = tmp_path / "fresh.db"
    for leftover in tmp_path.glob("*.db*"):
        leftover.unlink()
    paths = [wiki_dir / "workflows" / f"{name}.mediawiki" for name in WORKFLOWS]
    originals = [(p.read_bytes(), p.stat()) for p in paths]
    with Wiki.open(wiki_dir, db=db) as wiki:
        wiki.index(jobs=1)
        for number, (what, which) in enumerate(steps):
            path = paths[which]
            if what == "edit":
                path.write_text(path.read_text() + f"\nEdit {number}: [[domain::D{number}]]\n")
                os.utime(path, ns=(originals[which][1].st_atime_ns,
                                   originals[which][1].st_mtime_ns + number + 1))
            elif what == "put back":
                path.write_bytes(originals[which][0])
                os.utime(path, ns=(originals[which][1].st_atime_ns,
                                   originals[which][1].st_mtime_ns))
            elif what == "index file":
                wiki.index_files([path])
            else:
                wiki.index(jobs=1)
        wiki.index(jobs=1)
    with Wiki.open(wiki_dir, db=fresh_db) as fresh:
        fresh.index(jobs=1)
    assert _rows(db) == _rows(fresh_db)


def test_a_first_run_holds_the_listing_once(tmp_path: Path) -> None:
    """A first run reads every file: what it hands to the readers is the walk's own lines,
    sorted, not a second copy of the listing as large as the wiki (400,000 files: 100 MB)."""
    lines = [f"principles/Page_{number:06d}.mediawiki\t{1700000000000000000 + number}\t6000"
             for number in range(20_000, 0, -1)]
    own = sum(map(sys.getsizeof, lines))
    with Store(tmp_path / "index.db") as store:
        tracemalloc.start()
        try:
            files, removed = changed_files(store, lines, [])
            grown = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert grown < own / 5
    assert len(files) == 20_000 and not removed
    assert [page_file(line).path for line in files[:2]] == [
        "principles/Page_000001.mediawiki", "principles/Page_000002.mediawiki"]


#: A folder tree: each folder's files (numbers of pages) and sub-folders by name.
_TREES = st.recursive(
    st.fixed_dictionaries({"pages": st.integers(0, 9), "folders": st.just({})}),
    lambda inner: st.fixed_dictionaries({
        "pages": st.integers(0, 9),
        "folders": st.dictionaries(st.sampled_from(["a", "b", "c", ".hidden", "d.wiki"]), inner,
                                   max_size=3)}),
    max_leaves=6)


def _make(folder: Path, tree: dict) -> None:
    folder.mkdir()
    for n in range(tree["pages"]):
        (folder / f"P{n}.wiki").write_text("x" * n)
    (folder / "README.wiki").write_text("not a page")
    for name, inner in tree["folders"].items():
        _make(folder / name, inner)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREES, part=st.integers(1, 4))
def test_the_walk_shared_among_workers_lists_what_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree: dict, part: int) -> None:
    """The stat calls of a large wiki are shared among processes (``indexer._stamp``), in
    parts of a folder's names: the lines must come out as one process makes them, in the same
    order (the listing digest depends on it), with the same problems. A few names make a
    part here, and a few files make a large wiki."""
    root = tmp_path / "wiki"
    shutil.rmtree(root, ignore_errors=True)
    _make(root, tree)
    (root / "Gone.wiki").symlink_to(root / "nowhere")
    monkeypatch.setattr(layout, "FOLDER_PART", part)
    alone = layout.stamp_lines(root)
    monkeypatch.setattr(indexer, "PARALLEL_STAT", 3)
    shared = []
    monkeypatch.setattr(indexer, "processes", lambda jobs: shared.append(jobs) or 2)
    together = layout.stamp_lines(root, stamp=functools.partial(indexer._stamp, jobs=0))
    assert together == alone
    assert together.lines == alone.lines and together.count == len(alone.lines)
    assert alone.problems[0] == ("Gone.wiki", "broken symbolic link")
    assert len(alone.lines) == _pages(tree)
    assert sorted(alone.lines) == sorted(_lines(root))
    # The listing takes the broken link for a page by its name: only its stat tells.
    assert shared == ([0] if _named_as_pages(tree) + 1 >= 3 else [])


def _pages(tree: dict) -> int:
    return tree["pages"] + sum(_pages(inner) for name, inner in tree["folders"].items()
                               if not name.startswith("."))


def _named_as_pages(tree: dict) -> int:
    """The names of ``tree`` the walk's listing takes for pages: a folder named as one is
    not entered then, but listed once the rest is stamped."""
    return tree["pages"] + sum(1 if name.endswith(".wiki") else _named_as_pages(inner)
                               for name, inner in tree["folders"].items()
                               if not name.startswith("."))


def _lines(root: Path) -> list[str]:
    """The stamp lines of the page files below ``root``, found with ``os.walk``."""
    lines = []
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if name.endswith(".wiki") and name != "README.wiki" and path.is_file():
                info = path.stat()
                lines.append(f"{path.relative_to(root)}\t{info.st_mtime_ns}\t{info.st_size}")
    return lines


#: Stamp lines: a name (any characters a file name may hold, an undecodable byte's
#: stand-in among them), a modification time and a size.
_LINES = st.lists(st.tuples(st.text(st.characters(blacklist_characters="\0\t",
                                                  blacklist_categories=("Cs",)), min_size=1)
                            | st.sampled_from(["\udcff", "a/b", "b", "ab", "x/ab"]),
                            st.integers(0, 1), st.integers(0, 1)),
                  unique_by=lambda stamp: stamp[0], max_size=30).map(
    lambda stamps: [f"{name}\t{mtime}\t{size}" for name, mtime, size in stamps])


@settings(max_examples=200)
@given(lines=_LINES, data=st.data())
def test_the_listing_a_digest_was_taken_of_is_found_in_the_packed_listing(
        lines: list[str], data: st.DataObject) -> None:
    """``unpatched`` finds the lines ``index_files`` patched in the packed listing itself
    (a few), or in its lines decoded (more than ``FIND_PATCHES``): both give the listing
    the patches say the digest holds, whatever the parts the listing comes in, and None when
    a patched line is not there as it was indexed."""
    patched = data.draw(st.lists(st.sampled_from(lines), unique=True, max_size=12)
                        if lines else st.just([]))
    before = {line: data.draw(st.sampled_from(["", line.replace("\t", "\tx", 1)]))
              for line in patched}
    absent = data.draw(st.booleans())
    if absent:
        before["absent/\t1\t1"] = ""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(lines)), max_size=4)))
    parts = [lines[begin:end] for begin, end in zip([0, *cuts], [*cuts, len(lines)])]
    packed = [part for lines_of in parts for part in pack_lines(lines_of, batch=3)]
    found = unpatched(packed, before)
    if absent:
        assert found is None
        return
    assert found is not None
    expected = [before.get(line, line) for line in lines]
    assert unpack_lines(found) == [line for line in expected if line]
    assert len(before) <= FIND_PATCHES or len(found) <= 1  # the other way: packed again


def test_a_patched_line_is_found_whole_not_as_the_end_of_another() -> None:
    lines = ["a/b\t1\t1", "b\t1\t1"]
    found = unpatched(list(pack_lines(lines)), {"b\t1\t1": "b\t0\t0"})
    assert found is not None and unpack_lines(found) == ["a/b\t1\t1", "b\t0\t0"]
