"""The embedded knowledge-graph index: one SQLite file (schema in ``schema.sql``).

Indexing is incremental and atomic. Files whose size and modification time are unchanged are
not read; files that changed are hashed and only re-parsed when their content changed; files
that disappeared are removed with their edges (a page still linked to stays as a missing node).
All changes of one run are written in a single transaction, in WAL mode: readers keep seeing
the previous index while a run is under way, and an interrupted run leaves it intact. A first
index is built beside its place and moved there complete (see ``Store``).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, ParamSpec, TypeVar

from .dump import read_dump
from ..errors import InputError, StoreError
from ..files.pages import DEFAULT_EXTENSIONS, undecodable
from .records import PageRecord, page_record
from ..files.layout import PageFile, is_page_path, page_file, page_for_path, stamp_lines
from ..page.names import page_name
from ..page.parse import parse_page
from ..progress import track
from ..workers import map_chunks, processes

T = TypeVar("T")
P = ParamSpec("P")

SCHEMA_VERSION = "8"
#: ``PRAGMA application_id`` of an index ("WFlw"): what tells it from another program's
#: SQLite file (``Store._check_identity``; see https://www.sqlite.org/fileformat.html).
APPLICATION_ID = 0x57466C77
#: The tables every index of an older wikiflow had, before it carried ``APPLICATION_ID``.
_LEGACY_TABLES = frozenset({"meta", "pages", "files", "props", "edges"})
#: Seconds a run waits for another process writing the same index before it gives up.
BUSY_TIMEOUT = 5.0
#: Below this many pages to parse, worker processes cost more than they save.
PARALLEL_THRESHOLD = 400
#: Files per task of a worker process, and how many tasks may be under way ahead of the one
#: the writer waits for: some 2,000 records, 10 MB, held by the writer at most.
CHUNK = 64
AHEAD = 32
#: SQLite's page cache (negative: KiB), which also bounds each sort in memory: 64 MB for
#: queries on a large index; 48 MB while bulk-loading, which appends rows in id order and sorts
#: each index once (400,000 pages: 380 -> 346 MB peak, no slower; at 32 MB SQLite spills so
#: much more that the load took half as long again).
_CACHE = -65536
_BULK_CACHE = -49152
_SORT_CACHE = -4096  # see _end_bulk
#: How far below the writer its worker processes run (see ``_start_worker``).
WORKER_NICENESS = 10
#: The collector's thresholds while pages are parsed (see ``_start_worker``), in the writer too.
PARSE_GC_THRESHOLDS = (20_000, 50, 1000)
_CHILD_TABLES = ("props", "edges", "sources", "domains", "categories")


@dataclass(slots=True)
class IndexStats:
    """What one indexing run did."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    missing_pages: int = 0
    changed_keys: list[str] = field(default_factory=list)
    #: (path, reason) of each file or folder that could not be read: left out of this run,
    #: what the index held of it kept.
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: Files named to ``index_files`` that the walk would not read as pages (a read-me, a
    #: hidden file, another extension): left out, as a full run leaves them.
    not_pages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``wikiflow index --format json``)."""
        data = asdict(self)
        data["unreadable"] = [{"path": path, "reason": reason} for path, reason in self.unreadable]
        return data


class _Known(NamedTuple):
    """A file the index has read: the page it holds and what incremental runs compare."""

    page: int
    hash: str
    mtime_ns: int | None
    size: int | None


class Store:
    """An open index. Use as a context manager, or call ``close``.

    A new index is built in a staging file beside its place and moved there when its first
    write commits: until then the index does not exist for readers, and a first run that
    fails, is interrupted or killed leaves nothing at the index's path (the staging file is
    deleted when the store is closed, or by the next run when the process was killed). The
    staging file is written without the write-ahead log: the WAL would hold the whole first
    load once more and copy it into the database at the end (``bench/bench_index.py``: 7 s of
    a full index of 400,000 pages). It gets WAL mode when moved into place.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self._staging: Path | None = None
        #: Whether a write has committed: a staged index is moved into place only then.
        self._written = False
        if self.path is not None and not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no index here; run 'wikiflow index' first")
            if not self.path.parent.is_dir():  # a path the user gave: made by no one but them
                raise StoreError(f"{self.path}: no folder {self.path.parent} to hold the index")
            _remove_stale_staging(self.path)
            self._staging = self.path.with_name(f"{self.path.name}{_STAGING}{os.getpid()}")
        try:
            self.conn = sqlite3.connect(
                ":memory:" if self.path is None else str(self._staging or self.path),
                isolation_level=None, timeout=BUSY_TIMEOUT)
            self._check_identity()  # before any pragma: journal_mode = WAL writes the header
            self._configure()
            self._ensure_schema(rebuild=create)
        except BaseException as error:
            if (conn := getattr(self, "conn", None)) is not None:
                conn.close()  # not left for the collector: a staging file would stay open
            self._discard()
            if isinstance(error, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a wikiflow index ({error})") from error
            raise

    def _connect(self) -> None:
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT)
        self._configure()

    def _configure(self) -> None:
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self._staging is not None:
            # Nobody else opens the staging file: no WAL, and a rollback journal in memory,
            # which an empty database barely writes to (new pages are not journaled).
            self.conn.execute("PRAGMA journal_mode = MEMORY")
            self.conn.execute("PRAGMA synchronous = OFF")
        elif self.path is not None:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA cache_size = {_CACHE}")
        # Python runs its signal handlers only between statements: without this hook, Ctrl-C
        # waits for the longest one (a long #ask query on a large wiki) to end.
        self.conn.set_progress_handler(_let_signals_in, _PROGRESS_STEPS)

    def _check_identity(self) -> None:
        """Refuse a file that is not a wikiflow index, before anything is written to it: the
        index drops and rebuilds its tables, and another program's database must not lose
        its own. An index carries ``APPLICATION_ID`` in its header; an empty database is a new
        index; one of an older wikiflow (before the id) is known by its tables."""
        try:
            (app,) = self.conn.execute("PRAGMA application_id").fetchone()
            tables = [row[0] for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        except sqlite3.DatabaseError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_NOTADB:
                raise
            raise StoreError(f"{self.path}: not a wikiflow index: not a SQLite database; "
                             "give --db a new file or an index") from error
        if app == APPLICATION_ID or (app == 0 and (not tables or _LEGACY_TABLES <= set(tables))):
            return
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(f"{self.path}: not a wikiflow index: a SQLite database of another "
                         f"program (application id {app:#x}; tables: {shown or 'none'}); "
                         "give --db a new file or an index")

    def _publish(self) -> bool:
        """Move a staged index to its place, in WAL mode from now on (see the class); closes
        the connection and says whether it did."""
        if self._staging is None or self.path is None:
            return False
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.close()
        os.replace(self._staging, self.path)
        self._staging = None
        return True

    def _discard(self) -> None:
        """Delete the staging file of a new index that no write completed (a run that failed
        or was interrupted): the index then does not exist, rather than exist empty."""
        if self._staging is not None:
            self._staging.unlink(missing_ok=True)
            self._staging = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the index; a new one is moved into place if a write completed, and is
        otherwise deleted."""
        if self._written and self._publish():
            return
        self.conn.close()
        self._discard()

    # -- schema ----------------------------------------------------------------------------

    def _ensure_schema(self, *, rebuild: bool) -> None:
        """Create the tables of a new index; empty one of another schema version to be built
        anew (an index is a cache of the wiki), unless it was opened only to be read: a query
        must not empty the index it reads, so that is an error saying what to run."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if exists:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                                    ).fetchone()
            if row and row[0] == SCHEMA_VERSION:
                return
            if not rebuild:
                raise StoreError(f"{self.path}: an index of schema version "
                                 f"{row[0] if row else '?'}, and this wikiflow reads version "
                                 f"{SCHEMA_VERSION}; run 'wikiflow index' on the wiki to "
                                 "rebuild it")
            self._drop_all()
        script = resources.files("wikiflow.graph").joinpath("schema.sql").read_text(encoding="utf-8")
        self.conn.executescript(script)
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.set_meta("schema_version", SCHEMA_VERSION)

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def forget_meta(self, key: str) -> None:
        self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def _drop_all(self) -> None:
        """Drop every table: the full-text tables first, which drop their shadow tables; with
        foreign keys off, as dropping a table deletes its rows and they refer to each other."""
        self.conn.execute("PRAGMA foreign_keys = OFF")
        for virtual in (1, 0):
            names = [row[0] for row in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' AND (sql LIKE 'CREATE VIRTUAL TABLE%') = ?", (virtual,))]
            for name in names:
                self.conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.conn.execute("PRAGMA foreign_keys = ON")

    # -- reading state ---------------------------------------------------------------------

    def known(self, prefix: str = "", paths: Iterable[str] | None = None) -> dict[str, _Known]:
        """Indexed files (paths starting with ``prefix``, or just ``paths``) and their pages."""
        if paths is not None:
            found = {}
            for path in paths:
                row = self.conn.execute(
                    "SELECT page, hash, mtime_ns, size FROM files WHERE path = ?", (path,)
                ).fetchone()
                if row is not None:
                    found[path] = _Known(*row)
            return found
        rows = self.conn.execute(
            "SELECT path, page, hash, mtime_ns, size FROM files WHERE path >= ? AND path < ?",
            (prefix, prefix + "\U0010ffff"))
        return {path: _Known(page, digest, mtime, size) for path, page, digest, mtime, size in rows}

    def stamps(self) -> set[tuple[str, int | None, int | None]]:
        """(path, mtime_ns, size) of every indexed file: all a run with no change compares."""
        return set(self.conn.execute("SELECT path, mtime_ns, size FROM files"))

    def siblings(self, paths: Iterable[str]) -> set[str]:
        """The other files that hold the page of one of ``paths``."""
        found: set[str] = set()
        for path in paths:
            found.update(row[0] for row in self.conn.execute(
                "SELECT other.path FROM files AS this JOIN files AS other ON other.page = "
                "this.page AND other.path != this.path WHERE this.path = ?", (path,)))
        return found

    # -- writing ---------------------------------------------------------------------------

    def write(self, records: Iterable[PageRecord], removed: Iterable[str] = (),
              touched: Iterable[tuple[int, int, str]] = (), *, many: bool = False,
              listing: str | None = None) -> int:
        """Apply one run's changes in one transaction; return how many missing pages remain.

        ``records`` may be a generator (pages are parsed while earlier ones are written);
        ``removed`` and ``touched`` are read after the records: file paths gone from the
        wiki, and (mtime, size, path) of files whose content did not change. ``many`` says
        much of the wiki is being written (an empty index is then bulk-loaded). ``listing`` is
        the digest of the folder listing the run brought the index up to date with (see
        ``_listing_digest``); any other write forgets the one stored.
        """
        loading = many and self.is_empty()
        if loading:
            self._bulk_pragmas(True)
        cur = self.conn.cursor()
        try:
            self._begin(cur)
            bulk = loading and self.is_empty()  # another writer may have filled it meanwhile
            dropped = _begin_bulk(cur) if bulk else []
            writer = _Writer(cur, preload=many and not bulk)
            for record in records:
                writer.put(record)
            writer.flush()
            # After the records: what is gone, and which files were only touched, is known
            # once every file has been read.
            for path in removed:
                writer.remove_file(path)
            cur.executemany("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", touched)
            del writer  # its maps hold every page name: freed before the indexes are built
            if bulk:
                _end_bulk(cur, dropped)
            cur.execute("DELETE FROM pages WHERE exists_ = 0 AND NOT EXISTS "
                        "(SELECT 1 FROM edges WHERE target = pages.id) AND NOT EXISTS "
                        "(SELECT 1 FROM props WHERE target = pages.id)")
            missing = self.missing()
            if listing is None:
                self.forget_meta("listing")
            else:
                self.set_meta("listing", listing)
            cur.execute("COMMIT")
            self._written = True
        except BaseException as error:
            if self.conn.in_transaction:  # not when the transaction could not begin
                cur.execute("ROLLBACK")
            raise_interrupt(error)
            raise
        finally:
            if loading:
                self._bulk_pragmas(False)
        if self._publish():
            self._connect()
        return missing

    def _begin(self, cur: sqlite3.Cursor) -> None:
        """Begin the write, once another process writing the index has finished (waiting at
        most ``BUSY_TIMEOUT``)."""
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"{self.path}: another process is writing this index ({error}); "
                             "try again when it has finished") from error

    def missing(self) -> int:
        """How many nodes are link targets without a page."""
        return int(self.conn.execute("SELECT count(*) FROM pages WHERE exists_ = 0").fetchone()[0])

    def is_empty(self) -> bool:
        """Whether no page has been indexed (a first run)."""
        return self.conn.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None

    def _bulk_pragmas(self, on: bool) -> None:
        """Switch to and from bulk loading (these pragmas cannot change inside a transaction).

        No fsync: the load is still one transaction, which a killed process rolls back, and
        an index is a cache of the wiki that a power cut at worst makes us rebuild. No
        foreign-key checks: every row refers to ids this writer has just allocated, and a check
        is a random read of the pages table once it outgrows the cache (10 s on 400,000 pages).
        """
        if self._staging is None:
            self.conn.execute(f"PRAGMA synchronous = {'OFF' if on else 'NORMAL'}")
        self.conn.execute(f"PRAGMA foreign_keys = {'OFF' if on else 'ON'}")
        self.conn.execute(f"PRAGMA cache_size = {_BULK_CACHE if on else _CACHE}")


#: SQLite virtual-machine steps between two calls of the progress hook (``_let_signals_in``):
#: some milliseconds, and no cost a run can measure.
_PROGRESS_STEPS = 10_000


def _let_signals_in() -> int:
    """SQLite's progress hook: a call into Python, where pending signal handlers run. A
    ``KeyboardInterrupt`` raised here stops the statement, which sqlite3 reports as an
    'interrupted' ``OperationalError`` (see ``raise_interrupt``)."""
    return 0


def raise_interrupt(error: BaseException) -> None:
    """Raise ``KeyboardInterrupt`` for a statement Ctrl-C stopped (see ``_let_signals_in``),
    so that callers see the interrupt, not a database error; return for any other error."""
    if (isinstance(error, sqlite3.OperationalError)
            and error.sqlite_errorcode == sqlite3.SQLITE_INTERRUPT):
        raise KeyboardInterrupt from error


def interruptible(method: Callable[P, T]) -> Callable[P, T]:
    """A method that reads the index, stopped by Ctrl-C as any Python code is (see
    ``raise_interrupt``)."""
    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except sqlite3.OperationalError as error:
            raise_interrupt(error)
            raise
    return wrapper


#: What a staging file's name adds to the index's, before the id of the process building it.
_STAGING = ".new-"


def _remove_stale_staging(path: Path) -> None:
    """Delete the staging files of first runs that were killed (their process is gone)."""
    for staged in path.parent.glob(f"{path.name}{_STAGING}*"):
        pid = staged.name.rpartition(_STAGING)[2].partition("-")[0]  # "-journal" files too
        if pid.isdigit() and not _running(int(pid)):
            staged.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if os.name != "posix":  # elsewhere, signal 0 is no test (Windows would end the process)
        return True
    try:
        os.kill(pid, 0)  # no signal: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


#: The page id in a rowid of the ``titles`` table.
TITLE_PAGE_ID = (1 << 32) - 1


def title_rowid(title: str, page_id: int) -> int:
    """The rowid of a page in the ``titles`` table (see schema.sql): short titles first."""
    return len(title) << 32 | page_id


#: FTS5 merges its index segments while rows arrive (automerge 4, crisismerge 16: the
#: defaults). A bulk load defers that and merges once at the end ('optimize'): a quarter less
#: work on 400,000 pages. 1,000 stays below FTS5's limit of 2,000 segments per level.
_FTS_BULK = (("automerge", 0), ("crisismerge", 1000))
_FTS_DEFAULT = (("automerge", 4), ("crisismerge", 16))


def _begin_bulk(cur: sqlite3.Cursor) -> list[str]:
    """Set up loading an empty index; return the SQL of the indexes to build at the end."""
    _configure_search(cur, _FTS_BULK)
    return _drop_indexes(cur)


def _end_bulk(cur: sqlite3.Cursor, dropped: list[str]) -> None:
    """Build the indexes dropped by ``_begin_bulk`` and merge the full-text index.

    The indexes are built once the workers are done: SQLite's sorter may use the idle cores
    then, each thread sorting in memory of its own as large as the cache, so the cache shrinks
    meanwhile. Smaller sorts are faster too (every index of 400,000 pages, ``bench/
    bench_index.py``'s wiki: one thread and the 48 MB cache 9.0 s and 114 MB; two threads and
    8 MB 5.2 s and 33 MB; two threads and 4 MB 4.9 s and 17 MB).
    """
    cur.execute(f"PRAGMA cache_size = {_SORT_CACHE}")
    cur.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 8)}")
    for sql in dropped:  # building an index once is faster than growing it row by row
        cur.execute(sql)
    cur.execute("PRAGMA threads = 0")
    cur.execute(f"PRAGMA cache_size = {_BULK_CACHE}")
    cur.execute("INSERT INTO search (search) VALUES ('optimize')")
    _configure_search(cur, _FTS_DEFAULT)


def _configure_search(cur: sqlite3.Cursor, settings: tuple[tuple[str, int], ...]) -> None:
    for name, value in settings:
        cur.execute("INSERT INTO search (search, rank) VALUES (?, ?)", (name, value))


def _drop_indexes(cur: sqlite3.Cursor) -> list[str]:
    """Drop the secondary indexes of the graph tables; return the SQL that recreates them."""
    rows = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                       "NULL AND tbl_name IN ('props', 'edges', 'sources', 'domains', "
                       "'categories', 'files')").fetchall()
    for name, _ in rows:
        cur.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


_PAGE_COLUMNS = ("id, key, namespace, title, exists_, path, overview, description, usage, "
                 "last_updated, last_updated_raw, steps")
#: Batched inserts, in the order they are flushed: pages before the rows that refer to them.
_INSERT = {
    "pages": f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "files": "INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
             "page = excluded.page, hash = excluded.hash, mtime_ns = excluded.mtime_ns, "
             "size = excluded.size",
    "props": "INSERT INTO props VALUES (?, ?, ?, ?, ?, ?)",
    "edges": "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "sources": "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
    "domains": "INSERT INTO domains VALUES (?, ?)",
    "categories": "INSERT INTO categories VALUES (?, ?)",
    "search": "INSERT INTO search (rowid, title, overview, description, usage, steps, "
              "namespace) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "titles": "INSERT INTO titles (rowid, title, namespace) VALUES (?, ?, ?)",
}
#: Annotation rows held before a flush (some 700 pages): enough to make executemany pay, and
#: a flush short enough that the workers' pipes hold what they read meanwhile. At 50,000, a
#: worker spent a third of its time blocked on its full pipe (``bench/bench_index.py``).
_FLUSH_ROWS = 5_000


class _Writer:
    """Rows of one transaction, batched per table; node ids are allocated here."""

    def __init__(self, cur: sqlite3.Cursor, *, preload: bool = False) -> None:
        self.cur = cur
        # A run that rewrites much of a large index looks names up in memory, not one by one.
        self.ids: dict[str, int] = {}
        #: Nodes with no content of their own (missing pages): nothing of theirs to delete.
        self.empty: set[int] = set()
        if preload:
            for key, page_id, exists in cur.execute("SELECT key, id, exists_ FROM pages"):
                self.ids[key] = page_id
                if not exists:
                    self.empty.add(page_id)
        last = cur.execute("SELECT max(id) FROM pages").fetchone()[0]
        self.next_id = (last or 0) + 1
        # Every name is in memory when preloaded, and when the index was empty (a bulk load):
        # names not yet seen need no query then.
        self.complete = preload or last is None
        self.rows: dict[str, list[tuple]] = {name: [] for name in _INSERT}
        # The lists of the busiest tables by name, for the per-record code.
        self.page_rows, self.prop_rows, self.edge_rows = (
            self.rows["pages"], self.rows["props"], self.rows["edges"])
        #: Missing nodes allocated since the last flush, by id: a page read later in the batch
        #: takes its node's place in the insert rather than updating a row not yet written.
        self.missing: dict[int, tuple] = {}
        #: Pages this run has written: the nodes it allocated that have content, and these,
        #: which were in the index before (a set of every page written would be 16 MB more
        #: at the peak of a first run of 400,000 pages).
        self.first_new = self.next_id
        self.rewritten: set[int] = set()

    def node(self, key: str) -> int:
        """The id of ``key``, adding a missing node when no page has that name."""
        found = self.ids.get(key)
        if found is None:
            row = None if self.complete else self.cur.execute(
                "SELECT id FROM pages WHERE key = ?", (key,)).fetchone()
            if row is None:
                name = page_name(key)
                found = self._allocate()
                self.empty.add(found)
                self.missing[found] = (found, key, name.namespace, name.title, 0, None, None,
                                       None, None, None, None, None)
            else:
                found = row[0]
            self.ids[key] = found
        return found

    def _allocate(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _find(self, key: str) -> tuple[int, bool] | None:
        """The id of the node ``key`` and whether it has content, or None for a new page."""
        known = self.ids.get(key)
        if known is not None:
            return known, known not in self.empty
        if self.complete:
            return None
        return self.cur.execute("SELECT id, exists_ FROM pages WHERE key = ?", (key,)).fetchone()

    def remove_file(self, path: str) -> None:
        """Forget a file; its page's content goes when no other file holds that page (the
        node stays while other pages link to it)."""
        row = self.cur.execute("SELECT page FROM files WHERE path = ?", (path,)).fetchone()
        self.cur.execute("DELETE FROM files WHERE path = ?", (path,))
        if row is None or self.cur.execute("SELECT 1 FROM files WHERE page = ?", row).fetchone():
            return
        self._clear(row[0])
        self.cur.execute(
            "UPDATE pages SET exists_ = 0, path = NULL, overview = NULL, description = NULL, "
            "usage = NULL, last_updated = NULL, last_updated_raw = NULL, steps = NULL "
            "WHERE id = ?", row)

    def _clear(self, page_id: int) -> None:
        """Delete a page's rows; must run before its ``pages`` row changes, which the
        full-text index reads to find the terms to remove (external content)."""
        for table in _CHILD_TABLES:
            column = "source" if table == "edges" else "page"
            self.cur.execute(f"DELETE FROM {table} WHERE {column} = ?", (page_id,))
        self.cur.execute(
            "INSERT INTO search (search, rowid, title, overview, description, usage, steps, "
            "namespace) SELECT 'delete', id, title, overview, description, usage, steps, "
            "namespace FROM pages WHERE id = ? AND exists_ = 1", (page_id,))
        row = self.cur.execute("SELECT title, namespace FROM pages WHERE id = ? AND exists_ = 1",
                               (page_id,)).fetchone()
        if row is not None:
            self.cur.execute("INSERT INTO titles (titles, rowid, title, namespace) VALUES "
                             "('delete', ?, ?, ?)", (title_rowid(row[0], page_id), *row))

    def put(self, r: PageRecord) -> None:
        found = self._find(r.key)
        if found is None or self.missing.pop(found[0], None) is not None:
            page_id = self._allocate() if found is None else found[0]
            self.empty.discard(page_id)
            self.page_rows.append((page_id, r.key, r.namespace, r.title, 1, r.path, r.overview,
                                   r.description, r.usage, r.last_updated, r.last_updated_raw,
                                   r.steps_text))
        else:
            page_id, has_content = found
            if has_content and (page_id >= self.first_new or page_id in self.rewritten):
                # A second file of this run for the same page: the one whose path sorts last
                # holds it, whichever was read first (index_files takes paths in any order).
                self.flush()
                if not self._holds(page_id, r.path):
                    self._file(r, page_id)
                    return
            if page_id < self.first_new:
                self.rewritten.add(page_id)
            if has_content:
                self._clear(page_id)
            self.empty.discard(page_id)
            self.cur.execute(
                "UPDATE pages SET namespace = ?, title = ?, path = ?, overview = ?, "
                "description = ?, usage = ?, last_updated = ?, last_updated_raw = ?, steps = ?, "
                "exists_ = 1 WHERE id = ?", (r.namespace, r.title, r.path, r.overview,
                                             r.description, r.usage, r.last_updated,
                                             r.last_updated_raw, r.steps_text, page_id))
        self._file(r, page_id)
        self.ids[r.key] = page_id
        self._children(page_id, r)

    def _file(self, r: PageRecord, page_id: int) -> None:
        if r.path is not None and r.hash is not None:
            self.rows["files"].append((r.path, page_id, r.hash, r.mtime_ns, r.size))

    def _holds(self, page_id: int, path: str | None) -> bool:
        """Whether the file at ``path`` rather than the one read before holds the page."""
        row = self.cur.execute("SELECT path FROM pages WHERE id = ?", (page_id,)).fetchone()
        return path is None or row is None or row[0] is None or path > row[0]

    def _children(self, page_id: int, r: PageRecord) -> None:
        """The rows that hang off a page. Written for speed (this runs for every record of a
        wiki): list comprehensions rather than generators, rows unpacked by name rather than
        with ``*``, and target ids read from ``ids`` before ``node`` is called for a new one."""
        rows, ids, node = self.rows, self.ids, self.node
        if r.props:
            self.prop_rows.extend([
                (page_id, prop, value, ids.get(target) or node(target) if target else None,
                 number, line) for prop, value, target, number, line in r.props])
        if r.edges:
            self.edge_rows.extend([
                (page_id, ids.get(key) or node(key), prop, number, name, position, line, column)
                for key, prop, number, name, position, line, column in r.edges])
        if r.sources:
            rows["sources"].extend([(page_id, n, kind, title, url)
                                    for n, (kind, title, url) in enumerate(r.sources)])
        if r.domains:
            rows["domains"].extend([(page_id, name) for name in r.domains])
        if r.categories:
            rows["categories"].extend([(page_id, name) for name in r.categories])
        rows["search"].append((page_id, r.title, r.overview, r.description, r.usage,
                               r.steps_text, r.namespace))
        rows["titles"].append((title_rowid(r.title, page_id), r.title, r.namespace))
        if len(self.prop_rows) > _FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.rows["pages"].extend(self.missing.values())
        self.missing.clear()
        for table, rows in self.rows.items():
            if rows:
                self.cur.executemany(_INSERT[table], rows)
                rows.clear()


# -- indexing a folder or a dump ------------------------------------------------------------


def index_folder(store: Store, root: Path, *, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS,
                 jobs: int = 0) -> IndexStats:
    """Bring the index up to date with the page files below ``root``."""
    with _few_collections():
        return _index_folder(store, root, extensions, jobs)


def _index_folder(store: Store, root: Path, extensions: tuple[str, ...], jobs: int
                  ) -> IndexStats:
    lines, problems = stamp_lines(root, extensions)
    seen = len(lines)
    listing = _listing_digest(root, extensions, lines)
    if listing == store.meta("listing"):  # not a file moved since the last run
        return IndexStats(seen=seen, unchanged=seen, missing_pages=store.missing(),
                          unreadable=problems)
    candidates, removed = _changed_files(store, lines, problems)  # consumes the lines
    stats = IndexStats(seen=seen, unchanged=seen - len(candidates), unreadable=problems)
    many = len(candidates) > PARALLEL_THRESHOLD
    known = store.known() if many else store.known(paths=[f.path for f in candidates])
    total = len(candidates)
    with _read_files(root, candidates, known, jobs) as reads:
        del candidates  # held by the reads alone: freed once read, before the indexes are built
        stats.missing_pages = _write_reads(store, track(reads, "Indexing", total=total), known,
                                           stats, removed, many=many, listing=listing)
    return stats


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run an indexing with the collector's thresholds of the workers (``_start_worker``),
    then restore the caller's. The writer makes an object for every file first, then one
    for every record (which it parses itself in small runs): at the default thresholds its
    collector took 2.6-3.0 s of 400,000 pages, half in full collections of everything the
    writer holds, and 0.1 s at these."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*PARSE_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _listing_digest(root: Path, extensions: tuple[str, ...], lines: list[str]) -> str:
    """A fingerprint of the wiki's whole listing: every file's path, mtime and size.

    The index keeps the one of its last run: an equal listing means no file changed by the
    rule incremental runs follow (same stat data, same content), so a run with no change
    compares one string instead of reading 400,000 stamps from the index and diffing sets
    (``bench/bench_index.py``: 0.6 s of a 3.3 s run). The walk's order is part of it, so a
    file system that lists a folder in another order only costs the full comparison. Lines
    are joined with NUL, the one character no file name holds, and hashed in batches: the
    whole listing as one string would be twice 30 MB at the memory peak of a first run.
    """
    digest = hashlib.sha1("\0".join([str(root.resolve()), *extensions, ""]).encode(
        "utf-8", "surrogateescape"))
    for start in range(0, len(lines), _DIGEST_BATCH):
        batch = "".join([f"{line}\0" for line in lines[start:start + _DIGEST_BATCH]])
        digest.update(batch.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


_DIGEST_BATCH = 4096


def _changed_files(store: Store, lines: list[str], unread: list[tuple[str, str]]
                   ) -> tuple[list[PageFile], list[str]]:
    """The files to read (sorted by path: of clashing names, the last one wins) and the paths
    gone. ``lines`` (``stamp_lines``) is consumed: it is as large as the wiki.

    A first run reads every file: the lines are sorted and turned into ``PageFile``s one by
    one, each line freed as its file is made, so the listing is held once (400,000 files:
    90 MB less at the peak). Otherwise files are compared by their stat data (``_compare``).
    """
    if store.is_empty():
        lines.sort(reverse=True)  # by path: the tab that ends one sorts before any character
        return [page_file(line) for line in _drain(lines)], []
    files = set(map(page_file, lines))
    lines.clear()
    return _compare(store, files, unread)


def _compare(store: Store, files: set[PageFile], unread: list[tuple[str, str]]
             ) -> tuple[list[PageFile], list[str]]:
    """The files of ``files`` new or changed since the last run, and the paths gone. The
    ``unread`` files and folders (the listing's problems) are not known to be gone: the
    index keeps what it read of them.

    Files are compared by their stat data only, as sets of (path, mtime, size) tuples: 400,000
    files compare in C. A function of its own so that the sets, as large as the wiki, are
    freed before the files are read.
    """
    stored = store.stamps()
    changed = files - stored  # new or modified
    changed_paths = {page_file.path for page_file in changed}
    # Nothing is gone when every file matched (the second difference costs as much again).
    gone = stored - files if changed or len(stored) != len(files) else set()
    kept = {path for path, _ in unread}
    folders = tuple(path for path in kept if path.endswith("/"))
    removed = [path for path, _, _ in gone if path not in changed_paths and path not in kept
               and not path.startswith(folders)]
    # A page that loses one of two files holding it is read again from the one left.
    rereads = store.siblings(removed)
    if rereads:
        changed.update(page_file for page_file in files if page_file.path in rereads)
    return sorted(changed), removed


def _write_reads(store: Store, reads: Iterable[Read], known: dict[str, _Known],
                 stats: IndexStats, removed: Iterable[str], many: bool = False,
                 listing: str | None = None) -> int:
    """Write what the reads produce as they come: changed pages, and files only touched.

    A file that could not be read keeps what the index held of it. The listing is then not
    recorded as indexed, so that the next run compares every file and reads that one again.
    """
    touched: list[tuple[int, int, str]] = []
    failed: list[Unreadable] = []

    def records() -> Iterator[PageRecord]:
        for item in reads:
            if isinstance(item, Unreadable):
                failed.append(item)
            elif isinstance(item, PageRecord):
                stats.changed_keys.append(item.key)
                if item.path in known:
                    stats.updated += 1
                else:
                    stats.added += 1
                yield item
            else:
                stats.unchanged += 1
                touched.append(item)

    def removals() -> Iterator[str]:
        for path in removed:
            stats.removed += 1
            yield path

    missing = store.write(records(), removals(), touched, many=many, listing=listing)
    if failed:
        stats.unreadable += failed
        store.forget_meta("listing")
    return missing


def index_files(store: Store, root: Path, paths: Iterable[str | Path]) -> IndexStats:
    """Re-index just these files of the wiki at ``root`` (an editor's or a hook's update):
    no walk of the whole tree. Paths are absolute or relative to ``root``.

    A file that is gone was deleted: its page is removed from the index (a hook passes
    deleted files too). A file the walk would not take for a page (``layout.is_page_path``:
    a hook passes every changed file) is left out and listed in ``not_pages``. A path outside
    the wiki, not a file, or gone and never indexed (a typo) is an ``InputError``, raised
    before anything is written.
    """
    named = [_wiki_path(root, Path(raw)) for raw in paths]
    for relative in named:
        if (root / relative).exists() and not (root / relative).is_file():
            raise InputError(f"{root / relative}: not a page file")
    relatives = [relative for relative in named if is_page_path(relative)]
    known = store.known(paths=relatives)
    stats = IndexStats(seen=len(relatives),
                       not_pages=[relative for relative in named if not is_page_path(relative)])
    files, removed = [], []
    for relative in relatives:
        full = root / relative
        if full.is_file():
            stat = full.stat()
            files.append(PageFile(relative, stat.st_mtime_ns, stat.st_size))
        elif relative in known:
            removed.append(relative)
        else:
            raise InputError(f"{full}: no such file, and no page of the index was read from it")
    with _read_files(root, files, known, 1) as reads:
        stats.missing_pages = _write_reads(store, reads, known, stats, removed)
    return stats


def _wiki_path(root: Path, path: Path) -> str:
    """``path`` as the index names it: relative to the wiki's folder, with ``/``. Its folder
    is resolved, not the file itself, which may be a link (as the walk takes it)."""
    full = Path(os.path.normpath(path if path.is_absolute() else root.absolute() / path))
    try:
        return (full.parent.resolve() / full.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InputError(f"{path}: not in the wiki {root}") from None


#: (path, mtime_ns, size, hash in the index or None): what a worker needs to read a file.
Task = tuple[str, int, int, str | None]


class Unreadable(NamedTuple):
    """A file that could not be read (removed meanwhile, no permission, an I/O error)."""

    path: str
    reason: str


#: A changed file's record, (mtime, size, path) of a file only touched, or a failed read.
Read = PageRecord | tuple[int, int, str] | Unreadable


def _read_files(root: Path, files: list[PageFile], known: dict[str, _Known], jobs: int
                ) -> AbstractContextManager[Iterator[Read]]:
    """Read and parse files, in order: in worker processes for large runs (the writer, which
    takes what they produce, then only writes), in this process otherwise. The reads come
    from a ``with`` block, which the workers do not outlive (``map_chunks``).

    ``files`` is consumed: each entry is freed once handed out, so the list (100 MB for
    400,000 files) does not stay beside the index's own maps.
    """
    workers = processes(jobs) if len(files) >= PARALLEL_THRESHOLD else 1
    files.reverse()
    tasks = ((f.path, f.mtime_ns, f.size, old.hash if (old := known.get(f.path)) else None)
             for f in _drain(files))
    return map_chunks(functools.partial(_read_chunk, str(root)), tasks, workers=workers,
                      chunk=CHUNK, ahead=AHEAD, setup=_start_worker)


def _read_chunk(root: str, tasks: list[Task]) -> list[Read]:
    _read_ahead(root, tasks)
    return [_read_file(root, task) for task in tasks]


def _read_ahead(root: str, tasks: list[Task]) -> None:
    """Ask the system to start reading every file of a chunk before the first is read.

    Files read one at a time from a cold page cache (after a reboot, or once the system has
    reclaimed a wiki left idle) each wait for the disk in turn; with the hint, the reads of a
    chunk are under way together while its first pages are parsed. 400,000 pages from a cold
    cache took 52 s instead of 67 s, and 0.5% longer from a warm one (``bench/
    bench_index.py``'s wiki, runs taken back to back). A file that cannot be opened here is
    left for ``_read_file`` to report.
    """
    advise = getattr(os, "posix_fadvise", None)  # not on macOS or Windows
    if advise is None:
        return
    for task in tasks:
        try:
            descriptor = os.open(os.path.join(root, task[0]), os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(descriptor)


def _drain(items: list[T]) -> Iterator[T]:
    """The items of ``items`` from its end, each removed from the list as it is yielded."""
    while items:
        yield items.pop()


def _start_worker() -> None:
    """Set up a worker process. It runs below the writer, the one process every record
    passes through: when the cores are busier than the workers (other work on the machine),
    the writer keeps a core, and at equal priority it got only its share of one
    (``bench/bench_index.py``). Workers still take any idle core."""
    if hasattr(os, "nice"):  # Unix only
        os.nice(WORKER_NICENESS)
    # What the worker inherited from the writer is never garbage here: out of the collector's
    # sight, full collections neither walk it nor copy its pages. A parse makes thousands of
    # short-lived objects, so young collections run less often (5% less CPU in a loop that
    # reads and parses the generated wiki's pages as a worker does).
    gc.freeze()
    gc.set_threshold(*PARSE_GC_THRESHOLDS)


def _read_file(root: str, task: Task) -> Read:
    """A changed file's record, or (mtime, size, path) when only its stat data changed."""
    path, mtime_ns, size, old_hash = task
    try:
        data = _read_bytes(os.path.join(root, path), size)
    except OSError as error:
        return Unreadable(path, f"cannot read: {error.strerror or error}")
    digest = hashlib.sha1(data).hexdigest()
    if old_hash == digest:
        return (mtime_ns, size, path)
    name = page_for_path(path)
    page = parse_page(data, name.title, path=path, diagram=False)  # the graph keeps no diagram
    if (reason := undecodable(page)) is not None:  # not to be indexed as replacement characters
        return Unreadable(path, reason)
    return page_record(name, page, path=path, digest=digest, mtime_ns=mtime_ns, size=size)


def _read_bytes(path: str, size: int) -> bytes:
    """The whole file, read through its descriptor rather than ``open()``: the buffered file
    object costs twice the system calls' time (``bench/bench_index.py``). The first read asks
    for more than the file had when listed, so one more read finds the end; a file that has
    grown since is read on to its end all the same."""
    descriptor = os.open(path, os.O_RDONLY)
    want = max(size + 1, 4096)
    try:
        chunks = []
        while chunk := os.read(descriptor, want):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def index_dump(store: Store, dump: Path) -> IndexStats:
    """Bring the index up to date with a MediaWiki XML dump (compared page by page by hash).

    Each dump page is recorded as the file ``<dump name>#<page key>``.
    """
    prefix = f"{dump.name}#"
    known = store.known(prefix)
    stats = IndexStats()
    seen: set[str] = set()

    def reads() -> Iterator[PageRecord | tuple[int, int, str]]:
        for item in track(read_dump(dump), "Indexing"):
            stats.seen += 1
            path = prefix + item.name.key
            seen.add(path)
            old = known.get(path)
            if old is not None and old.hash == item.hash:
                stats.unchanged += 1
                continue
            page = parse_page(item.text, item.name.title, path=path, diagram=False)
            yield page_record(item.name, page, path=path, digest=item.hash)

    removed = (path for path in known if path not in seen)  # evaluated once the dump is read
    with _few_collections():
        stats.missing_pages = _write_reads(store, reads(), known, stats, removed, many=not known)
    return stats
