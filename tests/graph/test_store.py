"""The knowledge-graph index: resolution, step order, incremental and atomic runs, dumps, checks."""

from __future__ import annotations

import bz2
import gc
import gzip
import lzma
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_WIKI, SRC, interrupt, needs_corpus
from wikiflow import parse_page
from wikiflow.files.layout import page_for_path, path_for_page, stamp_lines, walk_wiki
from wikiflow.page.names import page_name
from wikiflow.graph import indexer, records as records_module, store as store_module
from wikiflow.graph import writer as writer_module
from wikiflow.config import config_from_mapping
from wikiflow.errors import InputError, StoreError, WorkerError
from wikiflow.graph.indexer import index_dump, index_files, index_folder
from wikiflow.graph.store import Store
from wikiflow.graph.wiki import Wiki


@pytest.fixture()
def wiki_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))


def snapshot(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                     for table in ("pages", "files", "edges", "props", "domains", "sources"))
    finally:
        conn.close()


def step_edges(conn: sqlite3.Connection, key: str) -> list[tuple[int, str, str | None]]:
    """Every step row of a page in order; a step without a principle has no target key."""
    return conn.execute(
        "SELECT e.step_number, e.step_name, t.key FROM edges e JOIN pages s ON s.id = e.source "
        "LEFT JOIN pages t ON t.id = e.target WHERE s.key = ? AND e.property = 'step' "
        "ORDER BY e.position", (key,)).fetchall()


def principle_key(target: str | None) -> str | None:
    """The page a step link names, when it names a valid page of a namespace."""
    name = page_name(target) if target else None
    return name.key if name is not None and name.namespace and name.valid else None


def assert_graph_matches_files(root: Path, conn: sqlite3.Connection) -> None:
    """Every page-valued link is a node (page or missing); steps keep heading order."""
    keys = {row[0]: row[1] for row in conn.execute("SELECT key, exists_ FROM pages")}
    for page_file in walk_wiki(root):
        page = parse_page((root / page_file.path).read_bytes(), page_file.name.title)
        for annotation in page.annotations:
            target = page_name(annotation.value)
            if target.namespace and target.valid:
                assert target.key in keys, (page_file.path, annotation.value)
        if page_file.name.namespace == "Workflow" and keys.get(page_file.name.key):
            expected = [(s.number, s.name, principle_key(s.target)) for s in page.steps]
            assert step_edges(conn, page_file.name.key) == expected


def test_example_wiki_resolves_every_link(wiki_dir: Path) -> None:
    with Wiki.open(wiki_dir) as wiki:
        stats = wiki.index(jobs=1)
        assert stats.missing_pages == 0 and stats.added == stats.seen == 27
        assert_graph_matches_files(wiki_dir, wiki.conn)
        assert wiki.check() == []


@needs_corpus
def test_corpus_links_resolved_or_missing_and_step_order(tmp_path: Path) -> None:
    for wiki in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        with Store(tmp_path / f"{wiki.name}.db") as store:
            index_folder(store, wiki, jobs=1)
            assert_graph_matches_files(wiki, store.conn)
            # A node is missing exactly when no file of the wiki is that page.
            files = {page_file.name.key for page_file in walk_wiki(wiki)}
            missing = {row[0] for row in store.conn.execute(
                "SELECT key FROM pages WHERE exists_ = 0")}
            assert not missing & files


def test_show_lists_steps_without_a_principle_link_in_order(wiki_dir: Path) -> None:
    # A step whose link is missing (or names no page) is a step whose principle is missing,
    # not no step: show keeps it, in its place, with principle None.
    qlora = wiki_dir / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
    parsed = parse_page(qlora.read_bytes()).steps
    qlora.write_text(qlora.read_text().replace("[[step::Principle:Quantization]]", "")
                     .replace("[[step::Principle:Low_Rank_Adaptation]]", "[[step::LoRA]]"))
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        steps = wiki.show("Workflow:QLoRA_Fine_Tuning")["steps"]
        gone = {"Principle:Quantization", "Principle:Low_Rank_Adaptation"}
        assert [(s["number"], s["name"]) for s in steps] == [(s.number, s.name) for s in parsed]
        assert [s["principle"] for s in steps] == [
            None if s.target in gone else s.target for s in parsed]
        assert all(s["principle_exists"] is (s["principle"] is not None) for s in steps)
        assert_graph_matches_files(wiki_dir, wiki.conn)
        assert "Workflow:QLoRA_Fine_Tuning" in {
            row["page"] for row in wiki.show("Principle:Data_Formatting")["used_by"]}

    # A recipe none of whose steps carries a link shows every step all the same, and the
    # whole-wiki checks (which compare the principles of recipes) read it.
    batch = wiki_dir / "workflows" / "Offline_Batch_Inference.mediawiki"
    batch.write_text(re.sub(r"\[\[step::[^\]]*\]\]", "", batch.read_text()))
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        steps = wiki.show("Workflow:Offline_Batch_Inference")["steps"]
        assert [(s["number"], s["principle"]) for s in steps] == [
            (s.number, None) for s in parse_page(batch.read_bytes()).steps] != []
        assert "WF707" not in {d.code for d in wiki.check()}


def test_incremental_edit_add_delete(wiki_dir: Path) -> None:
    db = wiki_dir / ".wikiflow" / "index.db"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        assert wiki.index(jobs=1).unchanged == 27
        qlora = wiki_dir / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
        qlora.write_text(qlora.read_text().replace("Principle:Quantization",
                                                   "Principle:Quantisation_New"))
        stats = wiki.index(jobs=1)
        assert (stats.updated, stats.added, stats.changed_keys) == (
            1, 0, ["Workflow:QLoRA_Fine_Tuning"])
        assert ("Principle:Quantisation_New", 0) in wiki.conn.execute(
            "SELECT key, exists_ FROM pages WHERE key LIKE 'Principle:Quanti%'").fetchall()
        new = wiki_dir / "principles" / "Quantisation_New.mediawiki"
        new.write_text("== Overview ==\nA new principle.\n")
        assert wiki.index(jobs=1).added == 1
        assert wiki.show("Principle:Quantisation_New")["exists"] is True
        (wiki_dir / "heuristics" / "Prefix_Caching.mediawiki").unlink()
        stats = wiki.index(jobs=1)
        assert stats.removed == 1
        row = wiki.conn.execute("SELECT exists_ FROM pages WHERE key = "
                                "'Heuristic:Prefix_Caching'").fetchone()
        assert row == (0,)  # still linked from a workflow: a missing node now
        assert [d.code for d in wiki.check()] == ["WF702"]
        assert_graph_matches_files(wiki_dir, wiki.conn)
    before = snapshot(db)
    with Wiki.open(wiki_dir) as wiki:
        assert wiki.index(jobs=1).unchanged == 27
    assert snapshot(db) == before


def test_unchanged_listing_skips_the_comparison_until_another_write(wiki_dir: Path) -> None:
    # A run whose listing equals the last run's reads nothing; index_files changes the index
    # without a full listing, so it must forget the stored one: otherwise a file put back
    # exactly as it was (same bytes, mtime and size) would leave the edit in the index.
    qlora = wiki_dir / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
    original, stamp = qlora.read_text(), qlora.stat()
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        stats = wiki.index(jobs=1)
        assert (stats.seen, stats.unchanged, stats.changed_keys) == (27, 27, [])
        qlora.write_text(original.replace("Principle:Quantization", "Principle:Elsewhere"))
        wiki.index_files([qlora])
        steps = wiki.show("QLoRA_Fine_Tuning")["steps"]
        assert "Principle:Elsewhere" in {step["principle"] for step in steps}
        qlora.write_text(original)
        os.utime(qlora, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        stats = wiki.index(jobs=1)
        assert stats.changed_keys == ["Workflow:QLoRA_Fine_Tuning"]
        assert "Principle:Elsewhere" not in {
            s["principle"] for s in wiki.show("QLoRA_Fine_Tuning")["steps"]}
        assert_graph_matches_files(wiki_dir, wiki.conn)


def test_search_after_edits_matches_a_fresh_index(wiki_dir: Path, tmp_path: Path) -> None:
    # The full-text index reads its text from pages: an edit or a removal must take the page's
    # old terms out before its row changes, or stale terms would still match.
    words = ("zanzibar", "neighbour", "prefix caching", "vector", "quantization", "step")
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        rag = wiki_dir / "workflows" / "RAG_Pipeline.mediawiki"
        rag.write_text(rag.read_text().replace("nearest-neighbour", "zanzibar"))
        (wiki_dir / "heuristics" / "Prefix_Caching.mediawiki").unlink()
        wiki.index(jobs=1)
        edited = {word: wiki.search(word, limit=100) for word in words}
    with Wiki.open(wiki_dir, db=tmp_path / "fresh.db") as fresh:
        fresh.index(jobs=1)
        assert {word: fresh.search(word, limit=100) for word in words} == edited
    assert [hit["page"] for hit in edited["zanzibar"]] == ["Workflow:RAG_Pipeline"]


def test_search_within_a_namespace_is_the_search_filtered(wiki_dir: Path) -> None:
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        for word in ("quantization", "adapter", "batch", "retrieval"):
            everything = wiki.search(word, limit=100)
            assert {hit["page"].split(":")[0] for hit in everything} > {"Workflow"}, word
            for namespace in ("Workflow", "principle", "Heuristic"):
                wanted = namespace.capitalize() + ":"
                assert wiki.search(word, limit=100, namespace=namespace) == [
                    hit for hit in everything if hit["page"].startswith(wanted)], word
        assert wiki.search("quantization", namespace="Nowhere") == []
        # no namespace holds a NUL, which FTS5's query syntax cannot hold even quoted
        assert wiki.search("quantization", namespace="Work\0flow") == []
        # A namespace's name is no word of a page: "principle" finds the pages that say it.
        saying = {key for (key,) in wiki.conn.execute(
            "SELECT key FROM pages WHERE exists_ = 1 AND lower(title || ' ' || ifnull(overview, "
            "'') || ' ' || ifnull(description, '') || ' ' || ifnull(usage, '') || ' ' || "
            "ifnull(steps, '')) LIKE '%principle%'")}
        assert {hit["page"] for hit in wiki.search("principle", limit=1000)} == saying


def test_an_index_of_another_schema_version_is_rebuilt(wiki_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Wiki.open(wiki_dir, db=db) as wiki:
        wiki.index(jobs=1)
        wiki.conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        wiki.conn.execute("PRAGMA application_id = 0")  # an older wikiflow's index had none
        # A full-text table an older schema had: dropped with its shadow tables.
        wiki.conn.execute("CREATE VIRTUAL TABLE retired USING fts5(text)")
    with pytest.raises(StoreError, match="schema version 4.*run 'wikiflow index'"):
        Wiki.open(None, db=db, create=False)  # a query does not empty the index it reads
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM pages").fetchone() == (27,)
    with Wiki.open(wiki_dir, db=db) as wiki:
        tables = {row[0] for row in wiki.conn.execute("SELECT name FROM sqlite_master")}
        assert not {name for name in tables if name.startswith("retired")}
        assert wiki.conn.execute("SELECT count(*) FROM pages").fetchone() == (0,)
        assert wiki.store.meta("schema_version") == store_module.SCHEMA_VERSION
        assert wiki.index(jobs=1).added == 27
        assert wiki.search("quantization")[0]["match"] == "title"


def test_search_lists_title_matches_first_then_text_by_relevance(tmp_path: Path) -> None:
    pages = {
        "principles/Low_Rank.mediawiki": "== Overview ==\nAdapter adapter adapter: the adapter "
                                         "is all this page is about. Adapter.\n",
        "workflows/Adapter_Merging_Recipe.mediawiki": "== Overview ==\nMerge weights.\n",
        "principles/Adapter.mediawiki": "== Overview ==\nSmall trainable weights.\n",
        "principles/Mixed.mediawiki": "== Overview ==\nOne adapter in a long text about "
                                      + "training and evaluation and data " * 20 + "\n",
        # BM25 gives a word on half the pages or more no weight: enough pages without it.
        **{f"heuristics/Unrelated_{n}.mediawiki": "== Overview ==\nNothing to see.\n"
           for n in range(6)},
    }
    for path, text in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    with Wiki.open(tmp_path) as wiki:
        wiki.index(jobs=1)
        hits = wiki.search("adapters")  # stemmed like the pages
        assert [(hit["page"], hit["match"]) for hit in hits] == [
            ("Principle:Adapter", "title"), ("Workflow:Adapter_Merging_Recipe", "title"),
            ("Principle:Low_Rank", "text"), ("Principle:Mixed", "text")]
        assert hits[2]["score"] > hits[3]["score"] > 0
        assert all("[" in hit["snippet"] for hit in hits)
        assert [hit["page"] for hit in wiki.search("adapter", limit=1)] == ["Principle:Adapter"]
        assert [hit["page"] for hit in wiki.search("adapter weights")] == [
            "Principle:Adapter", "Workflow:Adapter_Merging_Recipe"]  # every word, in any field
        (tmp_path / "principles/Adapter.mediawiki").unlink()
        wiki.index(jobs=1)
        assert [hit["page"] for hit in wiki.search("adapter", limit=2)] == [
            "Workflow:Adapter_Merging_Recipe", "Principle:Low_Rank"]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_bulk_load_matches_a_page_by_page_index(wiki_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    # The example wiki is below the threshold of a large run: lower it so that the bulk path
    # (empty index: indexes built and full-text segments merged at the end, no fk checks) runs,
    # with worker processes given small chunks, so that each sends many in turn.
    # Two files hold the same page: the later one's rows replace the earlier one's.
    (wiki_dir / "principles" / "Orphan.mediawiki").write_text("[[domain::First]] one\n")
    (wiki_dir / "principles" / "orphan.wiki").write_text("[[domain::Second]] two\n")
    with Store(tmp_path / "one.db") as store:
        index_folder(store, wiki_dir, jobs=1)
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(indexer, "CHUNK", 2)
    with Store(tmp_path / "bulk.db") as store:
        index_folder(store, wiki_dir, jobs=jobs)
        assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert snapshot(tmp_path / "bulk.db") == snapshot(tmp_path / "one.db")
    with Store(tmp_path / "bulk.db") as store:
        assert store.conn.execute("SELECT a.value FROM props AS a JOIN pages AS p ON p.id = "
                                  "a.page WHERE p.key = 'Principle:Orphan'").fetchall() == [
            ("Second",)]
    words = ("vector index", "quantization", "step", "prefix caching")
    with Wiki.open(wiki_dir, db=tmp_path / "bulk.db") as bulk, \
            Wiki.open(wiki_dir, db=tmp_path / "one.db") as one:
        assert [bulk.search(word) for word in words] == [one.search(word) for word in words]


def _failing_read(kind: str):
    """A read that fails in worker processes: a parser bug, or the worker killed outright."""
    def read(root: str, task: tuple, parse: object = None) -> object:
        if kind == "exit":
            os._exit(3)
        raise RuntimeError(f"a parser bug on {task[0]}")  # not a file that cannot be read
    return read


@pytest.mark.skipif(sys.platform != "linux", reason="workers see the patch when forked")
@pytest.mark.parametrize(("kind", "error"), [("raise", RuntimeError), ("exit", WorkerError)])
def test_a_worker_failure_fails_the_run_and_keeps_the_index(
        wiki_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str,
        error: type[Exception]) -> None:
    db = tmp_path / "index.db"
    with Store(db) as store:
        index_folder(store, wiki_dir, jobs=1)
    before = snapshot(db)
    for path in (wiki_dir / "principles").iterdir():
        path.write_text(path.read_text() + "\nMore.\n")
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(indexer, "CHUNK", 2)
    monkeypatch.setattr(indexer, "_read_file", _failing_read(kind))
    with Store(db) as store, pytest.raises(error):
        index_folder(store, wiki_dir, jobs=2)
    assert snapshot(db) == before


@pytest.mark.skipif(sys.platform != "linux", reason="workers see the patch when forked")
def test_workers_read_and_parse_and_the_writer_only_writes(
        wiki_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "one.db") as store:
        index_folder(store, wiki_dir, jobs=1)
    original, writer, readers = indexer._read_file, os.getpid(), []

    def read(root: str, task: tuple, parse: object = None) -> object:
        if os.getpid() == writer:
            readers.append(task[0])
        return original(root, task)
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(indexer, "CHUNK", 2)
    monkeypatch.setattr(indexer, "_read_file", read)
    thresholds = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        with Store(tmp_path / "two.db") as store:
            index_folder(store, wiki_dir, jobs=2)
        assert gc.get_threshold() == (1234, 5, 6)  # the writer's own are restored
    finally:
        gc.set_threshold(*thresholds)
    assert readers == []
    assert snapshot(tmp_path / "two.db") == snapshot(tmp_path / "one.db")


@pytest.mark.parametrize("order", [1, -1])
def test_of_two_files_for_one_page_the_last_path_wins_in_any_reading_order(
        tmp_path: Path, order: int) -> None:
    root = tmp_path / "wiki"
    (root / "principles").mkdir(parents=True)
    files = [root / "principles" / "Orphan.mediawiki", root / "principles" / "orphan.wiki"]
    for number, path in enumerate(files):
        path.write_text(f"[[domain::D{number}]]\n")
    with Store(tmp_path / "index.db") as store:
        index_files(store, root, files[::order])
        rows = store.conn.execute("SELECT p.path, a.value FROM pages AS p JOIN props AS a ON "
                                  "a.page = p.id").fetchall()
        assert rows == [("principles/orphan.wiki", "D1")]
        assert store.conn.execute("SELECT count(*) FROM files").fetchone() == (2,)


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from wikiflow.graph import indexer, store, writer
    original = writer.Writer.put
    count = 0
    def put(self, record):
        global count
        count += 1
        if count == 3:
            os.kill(os.getpid(), signal.SIGKILL)  # die in the middle of the transaction
        return original(self, record)
    writer.Writer.put = put
    with store.Store(sys.argv[2]) as s:
        indexer.index_folder(s, Path(sys.argv[1]), jobs=1)
""")


def test_killed_run_leaves_the_previous_index_intact(wiki_dir: Path) -> None:
    db = wiki_dir / ".wikiflow" / "index.db"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
    before = snapshot(db)
    for path in (wiki_dir / "workflows").iterdir():
        path.write_text(path.read_text().replace("[[domain::LLMs]]", "[[domain::Changed]]"))
    run = subprocess.run([sys.executable, "-c", KILLER, str(wiki_dir), str(db)],
                         env={**os.environ, "PYTHONPATH": SRC})
    assert run.returncode == -9
    assert snapshot(db) == before
    with Wiki.open(wiki_dir) as wiki:
        assert wiki.index(jobs=1).updated == 4
        changed = sum("[[domain::Changed]]" in p.read_text()
                      for p in (wiki_dir / "workflows").iterdir())
        assert wiki.conn.execute("SELECT count(*) FROM domains WHERE name = 'Changed'"
                                 ).fetchone() == (changed,) and changed > 0
        assert_graph_matches_files(wiki_dir, wiki.conn)


def test_killed_first_run_leaves_no_index_and_its_staging_file_is_removed(wiki_dir: Path
                                                                          ) -> None:
    db = wiki_dir / ".wikiflow" / "index.db"
    db.parent.mkdir()
    run = subprocess.run([sys.executable, "-c", KILLER, str(wiki_dir), str(db)],
                         env={**os.environ, "PYTHONPATH": SRC})
    assert run.returncode == -9
    assert not db.exists()
    (staged,) = db.parent.glob("index.db.new-*")
    with pytest.raises(StoreError, match="no index here"):
        Store(db, create=False)
    with Wiki.open(wiki_dir) as wiki:
        assert wiki.index(jobs=1).added == len(walk_wiki(wiki_dir))
        assert_graph_matches_files(wiki_dir, wiki.conn)
    assert not staged.exists() and sorted(p.name for p in db.parent.iterdir()) == ["index.db"]


def test_a_new_index_appears_complete_and_in_wal_mode(wiki_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "index.db"
    seen_while_writing: list[bool] = []
    original = writer_module.Writer.put

    def put(self: writer_module.Writer, record: object) -> None:
        seen_while_writing.append(db.exists())
        original(self, record)

    monkeypatch.setattr(writer_module.Writer, "put", put)
    with Store(db) as store:
        index_folder(store, wiki_dir, jobs=1)
        assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        pages = store.conn.execute("SELECT count(*) FROM pages WHERE exists_ = 1").fetchone()
    assert seen_while_writing and not any(seen_while_writing)
    assert pages == (len(walk_wiki(wiki_dir)),)
    assert [p.name for p in db.parent.glob("index.db*") if p.name != "index.db"] in (
        [], ["index.db-wal"], ["index.db-shm"], sorted(["index.db-shm", "index.db-wal"]))
    with Store(db) as again:  # an existing index is written in place, in WAL mode
        assert again.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert again.conn.execute("SELECT count(*) FROM pages WHERE exists_ = 1"
                                  ).fetchone() == pages


def test_a_new_index_that_no_write_completed_is_not_left(tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    with pytest.raises(StoreError, match="no index here"), Store(tmp_path / "empty.db"):
        raise StoreError("no index here: the write failed")
    assert list(tmp_path.iterdir()) == []
    with Store(tmp_path / "empty.db") as store:
        store.write([])
    with Store(tmp_path / "empty.db", create=False) as store:
        assert store.missing() == 0 and store.meta("schema_version") == store_module.SCHEMA_VERSION


def test_a_new_index_never_closed_leaves_no_staging_file(tmp_path: Path) -> None:
    """A Ctrl-C between the store's making and its caller's ``with`` never closes it."""
    store = Store(tmp_path / "index.db")
    assert [p.name.startswith("index.db.new-") for p in tmp_path.iterdir()] == [True]
    del store
    gc.collect()
    assert list(tmp_path.iterdir()) == []
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from wikiflow.graph.store import Store
        store = Store({str(tmp_path / "index.db")!r})
        raise KeyboardInterrupt  # before any with block or close
    """)], capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": SRC})
    assert "KeyboardInterrupt" in run.stderr
    assert list(tmp_path.iterdir()) == []


def _refuse(monkeypatch: pytest.MonkeyPatch, module: object, name: str, path: str,
            error: OSError = PermissionError(13, "Permission denied")) -> None:
    """Make ``module.name`` (``os.open``, ``_read_bytes``) fail on ``path`` as the system
    does for a user without the right to read it (the tests may run as root, who has it),
    or with another ``error``."""
    original = getattr(module, name)

    def refused(target: str, *args: object, **kwargs: object) -> object:
        if str(target).endswith(path):
            raise type(error)(error.errno, error.strerror, str(target))
        return original(target, *args, **kwargs)
    monkeypatch.setattr(module, name, refused)


def test_a_file_that_goes_while_its_folder_is_listed_is_left_out(
        wiki_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = {line.partition("\t")[0] for line in stamp_lines(wiki_dir).lines}
    for examine in ("stat", "lstat"):  # gone: neither the file nor a link is there
        _refuse(monkeypatch, os, examine, "Quantization.mediawiki",
                FileNotFoundError(2, "No such file or directory"))
    _refuse(monkeypatch, os, "stat", "Merging.mediawiki", OSError(5, "Input/output error"))
    listing = stamp_lines(wiki_dir)
    gone, failed = "principles/Quantization.mediawiki", "principles/Adapter_Merging.mediawiki"
    assert {line.partition("\t")[0] for line in listing.lines} == paths - {gone, failed}
    assert listing.problems == [(failed, "cannot read: Input/output error")]


def _index(db: Path, wiki: Path) -> indexer.IndexStats:
    with Store(db) as store:
        return index_folder(store, wiki)


def test_names_that_are_not_files_are_named_and_the_rest_indexed(wiki_dir: Path,
                                                                 tmp_path: Path) -> None:
    _index(tmp_path / "clean.db", wiki_dir)
    (wiki_dir / "principles" / "Gone.mediawiki").symlink_to(wiki_dir / "nowhere")
    (wiki_dir / "workflows" / "Folder.mediawiki").symlink_to(wiki_dir / "principles")
    with Store(tmp_path / "index.db") as store:
        first, again = index_folder(store, wiki_dir), index_folder(store, wiki_dir)
    expected = [("principles/Gone.mediawiki", "broken symbolic link"),
                ("workflows/Folder.mediawiki", "not a regular file")]
    assert sorted(first.unreadable) == expected == sorted(again.unreadable)
    assert again.unchanged == again.seen  # the run with no change says so too
    assert snapshot(tmp_path / "index.db") == snapshot(tmp_path / "clean.db")
    with pytest.raises(InputError, match="Gone.mediawiki: broken symbolic link"):
        walk_wiki(wiki_dir)  # what sync pushes: nothing is left out unsaid
    page = wiki_dir / "principles" / "Quantization.mediawiki"
    page.unlink()
    page.symlink_to(wiki_dir / "nowhere")
    stats = _index(tmp_path / "index.db", wiki_dir)
    assert ("principles/Quantization.mediawiki", "broken symbolic link") in stats.unreadable
    assert stats.removed == 0  # what the index read of it is kept
    assert snapshot(tmp_path / "index.db") == snapshot(tmp_path / "clean.db")


def test_a_folder_that_cannot_be_read_keeps_its_pages(
        wiki_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "index.db"
    _index(db, wiki_dir)
    before = snapshot(db)
    _refuse(monkeypatch, os, "open", "/principles")
    stats = _index(db, wiki_dir)
    assert stats.unreadable == [("principles/", "cannot read: Permission denied")]
    assert stats.removed == 0 and snapshot(db) == before
    monkeypatch.undo()
    (wiki_dir / "principles" / "Quantization.mediawiki").unlink()
    stats = _index(db, wiki_dir)
    assert (stats.unreadable, stats.removed) == ([], 1)


def test_a_file_that_cannot_be_read_keeps_its_page_until_read_again(
        wiki_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "index.db"
    _index(db, wiki_dir)
    before = snapshot(db)
    page = wiki_dir / "workflows" / "RAG_Pipeline.mediawiki"
    page.write_text(page.read_text().replace("== Overview ==\n", "== Overview ==\nZanzibar. "))
    _refuse(monkeypatch, indexer, "_read_bytes", "RAG_Pipeline.mediawiki")
    stats = _index(db, wiki_dir)
    assert stats.unreadable == [("workflows/RAG_Pipeline.mediawiki",
                                 "cannot read: Permission denied")]
    assert stats.updated == 0 and snapshot(db) == before
    monkeypatch.undo()  # readable again, and nothing else changed: the next run reads it
    with Wiki.open(wiki_dir, db=db) as wiki:
        assert wiki.index().updated == 1
        assert [hit["page"] for hit in wiki.search("Zanzibar")] == ["Workflow:RAG_Pipeline"]


def test_a_write_while_another_process_writes_is_an_error_saying_so(
        wiki_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
    other = sqlite3.connect(wiki_dir / ".wikiflow" / "index.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.1)
    page = wiki_dir / "workflows" / "RAG_Pipeline.mediawiki"
    page.write_text(page.read_text() + "\nMore.\n")
    try:
        with Wiki.open(wiki_dir) as wiki, \
                pytest.raises(StoreError, match="another process is writing this index"):
            wiki.index(jobs=1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Wiki.open(wiki_dir) as wiki:
        assert wiki.index(jobs=1).updated == 1


def test_index_is_readable_during_a_write(wiki_dir: Path) -> None:
    db = wiki_dir / ".wikiflow" / "index.db"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        wiki.conn.execute("BEGIN IMMEDIATE")
        wiki.conn.execute("DELETE FROM edges")
        reader = sqlite3.connect(db)
        assert reader.execute("SELECT count(*) FROM edges").fetchone()[0] > 0
        reader.close()
        wiki.conn.execute("ROLLBACK")


def _write_dump(dump: Path) -> None:
    page = (EXAMPLE_WIKI / "workflows" / "RAG_Pipeline.mediawiki").read_text()
    escaped = page.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    dump.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
        f"<page><title>Workflow:RAG Pipeline</title><ns>3000</ns><id>1</id><revision><id>7</id>"
        f"<timestamp>2026-01-01T00:00:00Z</timestamp><text>{escaped}</text></revision></page>"
        "<page><title>Principle:Document Chunking</title><ns>3002</ns><id>2</id><revision>"
        "<id>8</id><text>== Overview ==\nSplit documents.</text></revision></page></mediawiki>")


def test_dump_is_indexed_incrementally(tmp_path: Path) -> None:
    dump = tmp_path / "dump.xml"
    _write_dump(dump)
    with Store(tmp_path / "index.db") as store:
        stats = index_dump(store, dump)
        assert (stats.seen, stats.added) == (2, 2)
        assert step_edges(store.conn, "Workflow:RAG_Pipeline")[0][2] == \
            "Principle:Document_Chunking"
        assert index_dump(store, dump).unchanged == 2


@pytest.mark.parametrize("module", [gzip, bz2, lzma])
def test_a_compressed_dump_is_read_as_it_is(tmp_path: Path, module) -> None:
    plain = tmp_path / "dump.xml"
    _write_dump(plain)
    packed = tmp_path / f"dump.xml.{ {gzip: 'gz', bz2: 'bz2', lzma: 'xz'}[module] }"
    packed.write_bytes(module.compress(plain.read_bytes()))
    graphs = []
    for dump in (plain, packed):
        with Wiki.open(dump, db=tmp_path / f"{dump.name}.db") as wiki:
            assert wiki.index().added == 2
            graphs.append(wiki.conn.execute("SELECT key, exists_, overview, steps FROM pages "
                                            "ORDER BY key").fetchall())
    assert graphs[0] == graphs[1]
    packed.write_bytes(packed.read_bytes()[:-40])  # cut short: a download that stopped
    with Wiki.open(packed, db=tmp_path / "cut.db") as wiki, \
            pytest.raises(InputError, match=f"{packed.name}: "):
        wiki.index()


def test_a_page_file_is_no_wiki_to_index_and_leaves_no_index(wiki_dir: Path,
                                                             tmp_path: Path) -> None:
    for db in (tmp_path / "index.db", None):
        with pytest.raises(InputError, match="RAG_Pipeline.mediawiki: not a wiki folder"):
            Wiki.open(wiki_dir / "workflows" / "RAG_Pipeline.mediawiki", db=db)
    assert list(tmp_path.iterdir()) == [wiki_dir]
    assert not (wiki_dir / "workflows" / ".wikiflow").exists()


def test_file_names_and_page_names_map_both_ways() -> None:
    for raw in ("Workflow:QLoRA Fine Tuning", "Principle:A/B (test)", "Heuristic:50% rule",
                "Implementation:x.py", "Concept:Thing", "Main page"):
        name = page_name(raw)
        assert page_for_path(path_for_page(name)).key == name.key
    assert page_for_path("Workflow_X.wiki").key == page_for_path("workflows/X.md").key


@pytest.mark.parametrize(("code", "old", "new", "link"), [
    ("WF701", "[[step::Principle:Text_Embedding]]", "[[step::Principle:Text_Embeding]]",
     "[[step::Principle:Text_Embeding]]"),
    ("WF703", "[[step::Principle:Text_Embedding]]",
     "[[step::Principle:Text_Embedding]] see [[Implementation:Nowhere]]",
     "[[Implementation:Nowhere]]"),
])
def test_dangling_links_are_found_where_they_are_written(wiki_dir: Path, code: str, old: str,
                                                         new: str, link: str) -> None:
    page = wiki_dir / "workflows" / "RAG_Pipeline.mediawiki"
    text = page.read_text()
    edited = text.replace(old, new, 1)
    at = edited.index(link)
    where = (edited[:at].count("\n") + 1, at - edited.rfind("\n", 0, at))
    page.write_text(edited)
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        found = [(d.path, d.span.line, d.span.column) for d in wiki.check() if d.code == code]
        assert found == [("workflows/RAG_Pipeline.mediawiki", *where)]
        page.write_text(text)  # mended: the finding goes
        wiki.index(jobs=1)
        assert not [d for d in wiki.check() if d.code == code]


def test_checks_find_unused_duplicates_and_stale(wiki_dir: Path) -> None:
    (wiki_dir / "principles" / "Orphan.mediawiki").write_text("== Overview ==\nUnused.\n")
    (wiki_dir / "principles" / "orphan.wiki").write_text("== Overview ==\nSame page.\n")
    copy = (wiki_dir / "workflows" / "RAG_Pipeline.mediawiki").read_text()
    (wiki_dir / "workflows" / "RAG_Copy.mediawiki").write_text(
        copy.replace("2026-", "2020-", 1))
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        codes = sorted({d.code for d in wiki.check()})
        aged = sorted({d.code for d in wiki.check(config_from_mapping({"max-age-days": 365}))})
    assert codes == ["WF704", "WF706", "WF707"]  # WF708 is opt-in
    assert aged == ["WF704", "WF706", "WF707", "WF708"]


# -- files that are not ours ------------------------------------------------------------------


def _other_program(path: Path, application_id: int) -> None:
    """A SQLite file of another program, with a ``meta`` table as many have."""
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {application_id}")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '3')")
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()


@pytest.mark.parametrize("kind", ["sqlite-with-id", "sqlite-without-id", "page", "binary"])
def test_a_file_that_is_not_an_index_is_refused_and_left_as_it_was(
        wiki_dir: Path, tmp_path: Path, kind: str) -> None:
    other = tmp_path / "other.db"
    if kind.startswith("sqlite"):
        _other_program(other, 0x4D4F5A00 if kind == "sqlite-with-id" else 0)
        said = "a SQLite database of another program.*tables: meta, notes"
    else:
        other.write_bytes((wiki_dir / "workflows" / "RAG_Pipeline.mediawiki").read_bytes()
                          if kind == "page" else bytes(range(256)) * 64)
        said = "not a SQLite database"
    before = other.read_bytes()
    for create in (True, False):
        with pytest.raises(StoreError, match=f"{other}: not a wikiflow index: {said}"):
            Wiki.open(wiki_dir, db=other, create=create)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "wiki"]


def test_an_empty_file_becomes_an_index_that_says_so(wiki_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    with Wiki.open(wiki_dir, db=db) as wiki:
        assert wiki.index(jobs=1).added == 27
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (store_module.APPLICATION_ID,)
    conn.close()
    with Wiki.open(None, db=db, create=False) as wiki:
        assert wiki.stats()["pages"] == 27


def test_an_index_in_a_folder_that_does_not_exist_is_refused(wiki_dir: Path,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "index.db"
    with pytest.raises(StoreError, match=f"{db}: no folder {db.parent} to hold the index"):
        Wiki.open(wiki_dir, db=db)
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_default_index_folder_keeps_itself_out_of_git(wiki_dir: Path) -> None:
    subprocess.run(["git", "init", "-q", str(wiki_dir)], check=True, timeout=60)
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=wiki_dir, capture_output=True, text=True, check=True, timeout=60)
    assert status.stdout and ".wikiflow" not in status.stdout
    assert (wiki_dir / ".wikiflow" / "index.db").is_file()


def test_the_nearest_index_above_the_current_folder_is_read(
        wiki_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
    monkeypatch.chdir(wiki_dir / "workflows")
    with Wiki.open(None, create=False) as wiki:
        assert wiki.store.path == wiki_dir / ".wikiflow" / "index.db"
        assert wiki.stats()["pages"] == 27
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=f"no index in {tmp_path} or a folder above it"):
        Wiki.open(None, create=False)


# -- index_files: a hook's or an editor's paths ------------------------------------------------


def test_files_outside_the_wiki_or_unknown_and_gone_are_input_errors(wiki_dir: Path,
                                                                     tmp_path: Path) -> None:
    outside = tmp_path / "Outside.mediawiki"
    outside.write_text("== Overview ==\nNot in the wiki.\n")
    rag = wiki_dir / "workflows" / "RAG_Pipeline.mediawiki"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        before = snapshot(wiki.store.path)
        for paths, said in (([rag, outside], f"{outside}: not in the wiki {wiki_dir}"),
                            ([rag, "../Outside.mediawiki"], "Outside.mediawiki: not in the wiki"),
                            ([rag, "workflows/Typo.mediawiki"],
                             "Typo.mediawiki: no such file, and no page of the index"),
                            ([rag, wiki_dir / "workflows"], "workflows: not a page file")):
            rag.write_text(rag.read_text() + "\nMore.\n")
            with pytest.raises(InputError, match=said):
                wiki.index_files(paths)
        assert snapshot(wiki.store.path) == before  # nothing written, not even the valid file


def test_a_file_gone_is_removed_with_its_page(wiki_dir: Path) -> None:
    caching = wiki_dir / "heuristics" / "Prefix_Caching.mediawiki"
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        caching.unlink()
        stats = wiki.index_files([caching])
        assert (stats.seen, stats.removed) == (1, 1)
        assert wiki.show("Heuristic:Prefix_Caching")["exists"] is False
        assert wiki.index(jobs=1).unchanged == 26


@pytest.mark.parametrize("name", ["README.md", "_WorkflowIndex.md", ".draft.wiki",
                                  "notes.rst", ".hidden/Page.wiki"])
def test_a_file_the_walk_would_not_read_is_no_page_when_named(wiki_dir: Path,
                                                                name: str) -> None:
    side = wiki_dir / "workflows" / name
    side.parent.mkdir(exist_ok=True)
    side.write_text((wiki_dir / "workflows" / "RAG_Pipeline.mediawiki").read_text())
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        stats = wiki.index_files([side])
        assert (stats.seen, stats.added, stats.not_pages) == (0, 0, [f"workflows/{name}"])
        assert wiki.stats()["pages"] == 27
        assert wiki.index(jobs=1).unchanged == 27  # a full run agrees: nothing to drop


# -- search: huge pages, interrupts, any text -----------------------------------------------


def test_search_splits_words_at_nul_as_pages_are_read(wiki_dir: Path) -> None:
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        assert wiki.search("lora\0rank") == wiki.search("lora rank") != []
        assert wiki.search("\0") == []


def test_snippets_are_fts5_snippets_of_the_page(wiki_dir: Path) -> None:
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        for text in ("vector index", "lora", "preference optimisation", "step", "prefix"):
            for hit in wiki.search(text, limit=100):
                words = " OR ".join(f'"{word}"' for word in text.split())
                (expected,) = wiki.conn.execute(
                    "SELECT snippet(search, -1, '[', ']', '…', 12) FROM search JOIN pages ON "
                    "pages.id = search.rowid WHERE search MATCH ? AND pages.key = ?",
                    (f"{{title overview description usage steps}} : ({words})", hit["page"]
                     )).fetchone()
                assert hit["snippet"] == expected and "[" in expected


def test_a_search_makes_its_snippets_in_one_transaction_and_query(wiki_dir: Path) -> None:
    # The index's connection commits each statement alone: a commit for each row written to
    # the snippets' table was most of the time of a search whose words are in titles.
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
        seen: list[tuple[str, bool]] = []
        wiki.conn.set_trace_callback(lambda sql: seen.append((sql, wiki.conn.in_transaction)))
        assert len(wiki.search("and", limit=20)) == 20  # title and text matches
        wiki.conn.set_trace_callback(None)
    writes = [inside for sql, inside in seen
              if "temp.snippets" in sql and not sql.startswith("SELECT")]
    assert len(writes) > 20 and all(writes)
    # One query reads the hits' pages, one makes their snippets.
    assert [sql.split()[1] for sql, _ in seen if re.search(
        r"FROM pages WHERE id|snippet\(snippets", sql)] == ["id,", "rowid,"]


HUGE_SEARCH = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from wikiflow.graph.wiki import Wiki
    resource.setrlimit(resource.RLIMIT_CPU, (int(sys.argv[2]), int(sys.argv[2])))
    with Wiki.open(Path(sys.argv[1])) as wiki:
        wiki.index(jobs=1)
        for word in sys.argv[3:]:
            for hit in wiki.search(word):
                print(hit["page"], hit["snippet"])
""")


def _huge_page(wiki: Path, count: int) -> Path:
    """A Principle page of ``count`` short words, one in twelve 'theta', with 'omega'
    written once at its end."""
    words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ".split()
             * (count // 12))
    page = wiki / "principles" / "Huge.mediawiki"
    page.write_text("== Overview ==\n" + " ".join(words) + " omega.\n")
    return page


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_search_of_a_huge_page_is_linear(tmp_path: Path) -> None:
    wiki = tmp_path / "wiki"
    (wiki / "principles").mkdir(parents=True)
    assert _huge_page(wiki, 1_500_000).stat().st_size > 8_000_000
    # 8 MB: a snippet over the whole page took most of a minute; a linear search a second.
    run = subprocess.run([sys.executable, "-c", HUGE_SEARCH, str(wiki), "20", "theta", "omega"],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": SRC})
    assert run.returncode == 0, run.stderr[-2000:]
    theta, omega = run.stdout.splitlines()
    assert theta.startswith("Principle:Huge ") and "[theta]" in theta
    assert omega.startswith("Principle:Huge ") and "[omega]" in omega  # past the first part


LONG_STATEMENT = textwrap.dedent("""
    import sys
    from wikiflow.graph.store import Store, interruptible
    store = Store(sys.argv[1], create=False)
    count = interruptible(lambda: store.conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    ).fetchone())
    try:
        print("counting", flush=True)
        count()
    except KeyboardInterrupt:
        sys.exit(130)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_ctrl_c_stops_a_long_statement(wiki_dir: Path) -> None:
    # A statement that never ends: Python runs its signal handlers between steps of a
    # statement only if the store lets it (a long #ask query or index build, likewise).
    with Wiki.open(wiki_dir) as wiki:
        wiki.index(jobs=1)
    def counting(process: subprocess.Popen) -> bool:
        if process.stdout.readline() != "counting\n":
            return False
        time.sleep(0.2)  # so that the signal comes while the statement runs
        return True

    run = interrupt(["-c", LONG_STATEMENT, str(wiki_dir / ".wikiflow" / "index.db")], counting)
    assert run.returncode == 130, run.stderr


def test_reading_pages_keeps_the_name_caches_bounded(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that reads pages names each one and what it links to: on a large wiki most
    names come once, so the caches must stay bounded, however many names the wiki holds."""
    monkeypatch.setattr(indexer, "WORKER_NAMES", 50)
    root = tmp_path / "wiki"
    (root / "principles").mkdir(parents=True)
    for number in range(300):  # three names a page: its own, a target, a domain
        (root / "principles" / f"P{number}.mediawiki").write_text(
            f"[[uses::Principle:Target {number}]] [[domain::Domain {number}]]\n")
    page_name.cache_clear()
    with Store(tmp_path / "index.db") as store:
        index_folder(store, root, jobs=1)
    # The writer names a chunk's missing targets after the reader emptied the cache.
    assert page_name.cache_info().currsize <= 50 + indexer.CHUNK * 2 * 3
    assert all(cached.cache_info().maxsize <= 8192
               for cached in (records_module._target_key, records_module.page_value))


@pytest.mark.skipif(sys.platform != "linux", reason="elsewhere every worker starts fresh")
def test_fresh_workers_index_as_one_process_does(wiki_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run's workers start from a fork server, with none of the writer's state."""
    with Store(tmp_path / "one.db") as store:
        index_folder(store, wiki_dir, jobs=1)
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(indexer, "FRESH_THRESHOLD", 0)
    monkeypatch.setattr(indexer, "CHUNK", 2)
    with Store(tmp_path / "fresh.db") as store:
        index_folder(store, wiki_dir, jobs=2)
    assert snapshot(tmp_path / "fresh.db") == snapshot(tmp_path / "one.db")
