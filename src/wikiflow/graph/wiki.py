"""``Wiki``: a wiki (a folder of page files or an XML dump) and its index, as one object.

The CLI's graph commands are thin layers over these methods (``wikiflow index`` ⇄
``Wiki.index``, ``query`` ⇄ ``Wiki.query``, ``show`` ⇄ ``Wiki.show``, ``search`` ⇄
``Wiki.search``, ``stats`` ⇄ ``Wiki.stats``, ``check`` ⇄ ``Wiki.check``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..config import Config
from .dump import DumpPage, is_dump, read_dump, wiki_text, write_dump
from ..errors import InputError, StoreError
from .export.output import ExportSummary, binary_output
from ..files.lock import write_lock
from ..files.pages import make_state_folder
from ..page.names import page_name
from ..terminal import track
from .indexer import IndexStats, PageWork, index_dump, index_files, index_folder
from . import store as store_module
from .store import Store, interruptible
from .writer import TITLE_PAGE_ID

if TYPE_CHECKING:
    from ..lint.rules.base import Diagnostic
    from .ask import AskResult

INDEX_DIR = ".wikiflow"
INDEX_FILE = "index.db"
#: Namespaces tried, in order, for a name given without one (``wikiflow show QLoRA``).
LOOKUP_ORDER = ("", "Workflow", "Principle", "Heuristic", "Implementation", "Environment")


def default_db(source: Path | None) -> Path:
    """``.wikiflow/index.db`` beside the wiki (in the folder, or beside a dump file); with no
    wiki, the nearest index in the current folder or a folder above it, as git finds its
    ``.git`` (``.wikiflow/index.db`` in the current folder if there is none)."""
    if source is not None:
        return (source.parent if source.is_file() else source) / INDEX_DIR / INDEX_FILE
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (found := folder / INDEX_DIR / INDEX_FILE).is_file():
            return found
    return here / INDEX_DIR / INDEX_FILE


def _make_index_folder(folder: Path) -> None:
    """Make the default index folder, with a ``.gitignore`` that keeps it out of git. Only
    ``.wikiflow`` itself: the wiki's folder has been checked to exist."""
    try:
        make_state_folder(folder)
    except OSError as error:
        raise StoreError(f"{folder}: cannot make the index folder: "
                         f"{error.strerror or error}") from error


class Wiki:
    def __init__(self, source: Path | None, store: Store) -> None:
        self.source = source
        self.store = store
        #: Whether this object holds the index's write lock (see ``writing``).
        self._writing = False

    @property
    def conn(self) -> sqlite3.Connection:
        """The index's connection (a new index gets a new one when it is moved into place)."""
        return self.store.conn

    @classmethod
    def open(cls, source: str | Path | None = None, *, db: str | Path | None = None,
             create: bool = True) -> Wiki:
        """The wiki at ``source`` (folder or dump) with its index (``db`` or the default,
        see ``default_db``). The source is checked before anything is made: a page file
        given as the wiki is an input error, and leaves no index behind."""
        path = Path(source) if source is not None else None
        if path is not None and not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path is not None and not path.is_dir() and not is_dump(path):
            raise InputError(f"{path}: not a wiki folder or an XML dump (.xml, .xml.gz, "
                             ".xml.bz2, .xml.xz); to index some files of a wiki, give the "
                             "wiki's folder first")
        if db is None:
            db = default_db(path)
            if create:
                _make_index_folder(db.parent)
            elif path is None and not db.exists():
                raise StoreError(f"no index in {db.parent.parent} or a folder above it; run "
                                 "'wikiflow index WIKI' first, or give --db")
        return cls(path, Store(db, create=create))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Wiki:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- indexing --------------------------------------------------------------------------

    @contextmanager
    def writing(self, *, timeout: float | None = None) -> Iterator[None]:
        """Hold the index's write lock (``files.lock``) for a whole run or page write, waiting
        at most ``timeout`` seconds (``store.BUSY_TIMEOUT`` by default) for another writer.
        Held already by this object, it is held on: a page write re-indexes its file inside."""
        if self._writing or self.store.path is None:
            yield
            return
        wait = store_module.BUSY_TIMEOUT if timeout is None else timeout
        with write_lock(self.store.path, timeout=wait):
            self._writing = True
            try:
                yield
            finally:
                self._writing = False

    @interruptible
    def index(self, *, jobs: int = 0, extensions: tuple[str, ...] | None = None,
              work: PageWork | None = None) -> IndexStats:
        """Bring the index up to date; ``work`` is done on each page of a folder read
        (``indexer.PageWork``: the site's build)."""
        if self.source is None:
            raise InputError("no wiki to index: give a folder or an XML dump")
        with self.writing():
            return self._index(self.source, jobs, extensions, work)

    def _index(self, source: Path, jobs: int, extensions: tuple[str, ...] | None,
               work: PageWork | None) -> IndexStats:
        if is_dump(source):
            if work is not None:
                raise InputError(f"{source}: an XML dump has no page files to read along with")
            stats = index_dump(self.store, source)
        elif extensions is None:
            stats = index_folder(self.store, source, jobs=jobs, work=work)
        else:
            stats = index_folder(self.store, source, jobs=jobs, extensions=extensions, work=work)
        self.store.set_meta("source", str(source.resolve()))
        return stats

    @interruptible
    def index_files(self, paths: list[str | Path]) -> IndexStats:
        """Re-index only these files (relative to the wiki, or absolute inside it)."""
        if self.source is None or not self.source.is_dir():
            raise InputError("index_files needs a wiki folder")
        with self.writing():
            return index_files(self.store, self.source, paths)

    # -- reading ---------------------------------------------------------------------------

    @interruptible
    def query(self, ask: str, *, limit: int = 50) -> list[dict[str, Any]]:
        return self.ask(ask, limit=limit).rows

    def ask(self, ask: str, *, limit: int = 50) -> AskResult:
        """``query``'s rows with the number of results in all (``AskResult.further``)."""
        from .ask import ask_result

        return ask_result(self.conn, ask, default_limit=limit)

    def resolve(self, name: str) -> tuple[int, str] | None:
        """The id and key of the page ``name`` means (tried in the usual namespaces)."""
        for key in _candidate_keys(name):
            row = self.conn.execute("SELECT id, key FROM pages WHERE key = ?", (key,)).fetchone()
            if row:
                return row[0], row[1]
        return None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read the index as of one moment: the reads inside see no write that commits
        meanwhile (a read transaction; WAL mode lets a writer go on beside it). Each statement
        alone is its own snapshot, and a page's rows read across a write would mix two runs."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")  # a read transaction: nothing to roll back

    def locate(self, name: str) -> Located | None:
        """The node ``name`` means (see ``resolve``): its key, whether a page exists for it
        and the file it was read from."""
        found = self.resolve(name)
        if found is None:
            return None
        exists, path = self.conn.execute(
            "SELECT exists_, path FROM pages WHERE id = ?", (found[0],)).fetchone()
        return Located(found[0], found[1], bool(exists), path)

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of the page ``keys`` have a page (not only links to them)."""
        return {key for key in keys if self.conn.execute(
            "SELECT 1 FROM pages WHERE key = ? AND exists_ = 1", (key,)).fetchone()}

    def neighbours(self, key: str, depth: int, *, limit: int = 200) -> list[dict[str, Any]]:
        """Pages within ``depth`` links of ``key``, either way, nearest first: each with its
        distance and the page it was reached from (at most ``limit``)."""
        start = self.resolve(key)
        if start is None:
            return []
        seen, frontier, found = {start[0]}, [start[0]], []
        for distance in range(1, depth + 1):
            reached: dict[int, int] = {}  # page id -> the id it was reached from
            for page_id in frontier:
                for (other,) in self.conn.execute(
                        "SELECT target FROM edges WHERE source = ?1 UNION "
                        "SELECT source FROM edges WHERE target = ?1", (page_id,)):
                    if other not in seen:
                        seen.add(other)
                        reached[other] = page_id
                if len(found) + len(reached) >= limit:  # a hub's thousands of neighbours
                    break
            ids = sorted({*reached, *reached.values()})
            keys = dict(self.conn.execute(
                f"SELECT id, key FROM pages WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()) if ids else {}
            found += sorted(({"page": keys[other], "distance": distance, "via": keys[via]}
                             for other, via in reached.items()), key=lambda hit: hit["page"])
            if len(found) >= limit or not reached:
                return found[:limit]
            frontier = list(reached)
        return found

    def similar(self, name: str, *, limit: int = 5) -> list[str]:
        """Pages whose name differs from what ``name`` means only in letter case: titles are
        case-sensitive but for their first letter, as in MediaWiki, and a user who typed
        ``qlora fine tuning`` meant ``QLoRA_Fine_Tuning``. A scan of every name: for errors."""
        wanted = [key.lower() for key in _candidate_keys(name)]
        marks = ", ".join("?" * len(wanted))
        return [row[0] for row in self.conn.execute(
            f"SELECT key FROM pages WHERE lower(key) IN ({marks}) ORDER BY exists_ DESC, key "
            "LIMIT ?", (*wanted, limit))]

    @interruptible
    def show(self, name: str) -> dict[str, Any]:
        """A page with its graph neighbourhood; raises ``StoreError`` for an unknown page
        (naming the pages it may have meant)."""
        found = self.resolve(name)
        if found is None:
            similar = self.similar(name)
            hint = f"; did you mean {' or '.join(similar)}?" if similar else ""
            raise StoreError(f"no page '{name}' in the index{hint}")
        page_id, _ = found
        data = self._page_row(page_id)
        data["sources"] = [dict(zip(("type", "title", "url"), row)) for row in self.conn.execute(
            "SELECT type, title, url FROM sources WHERE page = ? ORDER BY position", (page_id,))]
        data["domains"] = [row[0] for row in self.conn.execute(
            "SELECT name FROM domains WHERE page = ?", (page_id,))]
        if data["namespace"] == "Workflow":
            data["steps"] = self._steps(page_id)
            data["heuristics"] = self._heuristics(page_id)
            data["shares_principles_with"] = self._sharing(page_id)
        else:
            data["used_by"] = self.used_by(page_id)
        return data

    def workflow(self, name: str) -> dict[str, Any]:
        return self.show(name)

    def _page_row(self, page_id: int) -> dict[str, Any]:
        columns = ("key", "namespace", "title", "exists", "path", "overview", "description",
                   "usage", "last_updated", "last_updated_raw")
        row = self.conn.execute(
            "SELECT key, namespace, title, exists_, path, overview, description, usage, "
            "last_updated, last_updated_raw FROM pages WHERE id = ?", (page_id,)).fetchone()
        data = dict(zip(columns, row))
        data["page"] = data.pop("key")
        data["exists"] = bool(data["exists"])
        return data

    def _steps(self, page_id: int) -> list[dict[str, Any]]:
        """Every step as written, in order; one without a principle link has ``principle``
        None (a step whose principle is missing, not no step)."""
        rows = self.conn.execute(
            "SELECT e.step_number, e.step_name, t.key, t.title, t.exists_ FROM edges e LEFT "
            "JOIN pages t ON t.id = e.target WHERE e.source = ? AND e.property = 'step' "
            "ORDER BY e.position", (page_id,))
        return [{"number": n, "name": name, "principle": key, "principle_title": title,
                 "principle_exists": bool(exists)} for n, name, key, title, exists in rows]

    def _heuristics(self, page_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT t.key, t.exists_ FROM edges e JOIN pages t ON t.id = e.target WHERE "
            "e.source = ? AND e.property = 'uses_heuristic' ORDER BY e.position", (page_id,))
        return [{"name": key, "exists": bool(exists)} for key, exists in rows]

    def _sharing(self, page_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT w.key, group_concat(DISTINCT t.key) FROM edges mine "
            "JOIN edges theirs ON theirs.target = mine.target AND theirs.property = 'step' "
            "AND theirs.source != mine.source JOIN pages w ON w.id = theirs.source "
            "JOIN pages t ON t.id = mine.target WHERE mine.source = ? AND mine.property = "
            "'step' GROUP BY w.key ORDER BY count(DISTINCT t.key) DESC, w.key", (page_id,))
        return [{"workflow": key, "shared": sorted(shared.split(","))} for key, shared in rows]

    def used_by(self, page_id: int) -> list[dict[str, Any]]:
        """The pages whose annotations name the page ``page_id`` (its backlinks)."""
        rows = self.conn.execute(
            "SELECT s.key, e.property, e.step_number, e.step_name FROM edges e JOIN pages s "
            "ON s.id = e.source WHERE e.target = ? ORDER BY s.key, e.position", (page_id,))
        return [{"page": key, "property": prop, "step": number, "step_name": name}
                for key, prop, number, name in rows]

    @interruptible
    def search(self, text: str, *, limit: int = 20,
               namespace: str | None = None) -> list[dict[str, Any]]:
        """Pages holding every word, best first, each with a highlighted snippet; only those
        of ``namespace`` (``Workflow``, ``Principle``…) when given.

        Two tiers, as MediaWiki lists "page title matches" above "page text matches": pages
        whose title holds every word (``match: "title"``), shortest title first; then the
        other pages ranked by BM25 over titles, overview, description, usage and steps
        (``match: "text"``). ``score`` is the BM25 of the tier's own text (higher is better).
        Title matches come off an index ordered by title length, with no page scored beyond
        ``limit``: on a large wiki a common word is on half the pages, and BM25 scores every
        match (``bench/bench_index.py``).
        """
        quoted = ['"' + word.replace('"', '""') + '"' for word in _search_words(text)]
        if not quoted:
            return []
        words = " ".join(quoted)
        # Words are matched in the text columns only; a namespace is one more term to match
        # (see schema.sql), with no weight in the scores.
        in_text, in_title = f"{{{_TEXT_COLUMNS}}} : ({words})", f"title : ({words})"
        if namespace is not None:
            name = page_name(f"{namespace}:X").namespace or namespace  # workflow: Workflow
            if "\0" in name:  # no namespace holds one, and no FTS5 string can (see above)
                return []
            within = ' AND namespace : "' + name.replace('"', '""') + '"'
            in_text, in_title = in_text + within, in_title + within
        ranked = [(rowid & TITLE_PAGE_ID, -score, "title") for rowid, score in self.conn.execute(
            "SELECT rowid, bm25(titles, 1, 0) FROM titles WHERE titles MATCH ? LIMIT ?",
            (in_title, limit))]
        if len(ranked) < limit:
            # Ranked first, snippets after: in the ranking query a snippet would be made for
            # every match before LIMIT applies. Ordered by bm25() rather than FTS5's rank (the
            # same score): SQLite keeps only the LIMIT best of a bm25() ordering as it scans.
            titled = {page_id for page_id, _, _ in ranked}
            ranked += [(rowid, -score, "text") for rowid, score in self.conn.execute(
                f"SELECT rowid, bm25(search, {_TEXT_WEIGHTS}) AS score FROM search "
                "WHERE search MATCH ? ORDER BY score LIMIT ?", (in_text, limit + len(titled)))
                if rowid not in titled][:limit - len(ranked)]
        return self._hits(" OR ".join(quoted), ranked)

    def _hits(self, any_word: str, ranked: list[tuple[int, float, str]]) -> list[dict[str, Any]]:
        """The ranked pages as search results: their rows are read, and their snippets made,
        by one query each rather than a few statements a hit."""
        ids = [page_id for page_id, _, _ in ranked]
        rows = {page_id: (key, texts) for page_id, key, *texts in self.conn.execute(
            f"SELECT id, key, {_TEXT_LIST} FROM pages WHERE id IN "
            f"({', '.join('?' * len(ids))})", ids)}
        # A page a writer removed since it was ranked has no row (no snapshot spans a search).
        found = [(rows[page_id], score, match) for page_id, score, match in ranked
                 if page_id in rows]
        snippets = self._snippets(any_word, [texts for (_, texts), _, _ in found])
        return [{"page": key, "match": match, "score": round(score, 3), "snippet": snippet}
                for ((key, _), score, match), snippet in zip(found, snippets)]

    def _snippets(self, any_word: str, pages: list[list[str | None]]) -> list[str]:
        """Some words of each page's text columns around the searched words, marked.

        Made by FTS5's snippet() over a copy of the pages in a temporary table, each column
        cut to the part of it where a word is first found (``_snippet_part``): snippet() takes
        time quadratic in the matches of its column (a 9 MB page took over a minute). A
        snippet depends on its own row only, so one query makes them all.
        """
        # One transaction: the connection commits each statement alone, and these commits
        # took 60% of a search whose words are in titles (2.3 ms of CPU where it now takes
        # 0.95, bench_index.py's 40,000 pages).
        self.conn.execute("SAVEPOINT snippets")
        try:
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippets USING fts5("
                              f"{_TEXT_LIST}, tokenize = '{_TOKENIZER}')")
            self.conn.execute("DELETE FROM temp.snippets")
            self.conn.executemany(
                f"INSERT INTO temp.snippets (rowid, {_TEXT_LIST}) VALUES (?, ?, ?, ?, ?, ?)",
                [(row, *(self._snippet_part(text, any_word) for text in texts))
                 for row, texts in enumerate(pages)])
            made = dict(self.conn.execute(
                "SELECT rowid, snippet(snippets, -1, '[', ']', '…', 12) FROM temp.snippets "
                "WHERE snippets MATCH ?", (any_word,)).fetchall())
        finally:
            if self.conn.in_transaction:  # not when an interrupt rolled it back
                self.conn.execute("RELEASE snippets")
        # No snippet: no word whole in any part of the page (one cut in two).
        return [str(made.get(row, "")) for row in range(len(pages))]

    def _snippet_part(self, text: str | None, any_word: str) -> str | None:
        """``text``, or when longer than ``SNIPPET_PART``, the first part of it of that size
        where one of the words is found (the first part when none is: a word cut in two)."""
        if text is None or len(text) <= SNIPPET_PART:
            return text
        parts = list(_parts(text, SNIPPET_PART))
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_parts USING "
                          f"fts5(text, tokenize = '{_TOKENIZER}')")
        self.conn.execute("DELETE FROM temp.snippet_parts")
        self.conn.executemany("INSERT INTO temp.snippet_parts (rowid, text) VALUES (?, ?)",
                              enumerate(parts))
        row = self.conn.execute("SELECT min(rowid) FROM temp.snippet_parts WHERE "
                                "snippet_parts MATCH ?", (any_word,)).fetchone()
        return parts[row[0] or 0]

    @interruptible
    def stats(self) -> dict[str, Any]:
        conn = self.conn
        by_namespace = dict(conn.execute(
            "SELECT namespace, count(*) FROM pages WHERE exists_ = 1 GROUP BY namespace "
            "ORDER BY 2 DESC").fetchall())
        return {
            "pages": sum(by_namespace.values()),
            "pages_by_namespace": by_namespace,
            "missing_pages": conn.execute(
                "SELECT count(*) FROM pages WHERE exists_ = 0").fetchone()[0],
            "edges_by_property": dict(conn.execute(
                "SELECT property, count(*) FROM edges GROUP BY property ORDER BY 2 DESC"
            ).fetchall()),
            "annotations": conn.execute("SELECT count(*) FROM props").fetchone()[0],
            "top_domains": dict(conn.execute(
                "SELECT name, count(*) FROM domains GROUP BY name ORDER BY 2 DESC, 1 LIMIT 10"
            ).fetchall()),
            "oldest_update": conn.execute(
                "SELECT min(last_updated) FROM pages WHERE exists_ = 1").fetchone()[0],
            "newest_update": conn.execute(
                "SELECT max(last_updated) FROM pages WHERE exists_ = 1").fetchone()[0],
        }

    @interruptible
    def export(self, fmt: str, out: Any, ask: str | None = None) -> Any:
        """Write the graph, or an #ask result with its neighbourhood, in format ``fmt``;
        ``mediawiki-xml`` writes the pages themselves (an #ask result: just those pages)."""
        from .export import export_graph

        pages = None
        if ask is not None:
            keys = [row["page"] for row in self.query(ask, limit=1_000_000)]
            pages = {row[0] for key in keys for row in self.conn.execute(
                "SELECT id FROM pages WHERE key = ?", (key,))}
        if fmt == "mediawiki-xml":
            return self._export_dump(out, pages)
        return export_graph(self.conn, fmt, out, pages=pages)

    def _export_dump(self, out: Any, pages: set[int] | None) -> ExportSummary:
        """The indexed pages' texts, read again from the wiki the index was made from."""
        source = self.source or self._indexed_source()
        rows = self.conn.execute(
            "SELECT id, key, path FROM pages WHERE exists_ = 1 ORDER BY key").fetchall()
        keys = {key: path for page_id, key, path in rows if pages is None or page_id in pages}
        if is_dump(source):
            texts: Iterable[DumpPage] = (page for page in read_dump(source)
                                         if page.name.key in keys)
        else:
            texts = (_file_page(source, key, path) for key, path in keys.items())
        with binary_output(out) as stream:
            return ExportSummary(write_dump(track(texts, "Exporting", len(keys)), stream), 0)

    def _indexed_source(self) -> Path:
        source = self.store.meta("source")
        if source is None or not Path(source).exists():
            raise StoreError("the index does not say where its wiki is (re-run 'wikiflow "
                             "index'), and the page texts are needed for mediawiki-xml")
        return Path(source)

    @interruptible
    def check(self, config: Config | None = None) -> list[Diagnostic]:
        """Whole-wiki findings (WF7xx) for the index as it is (run ``index`` first)."""
        # Lint's rules are loaded here: ``index`` and the queries, which do without them,
        # start sooner (``cli.main.COMMAND_MODULES``).
        from ..lint.checks import check_wiki

        config = config or Config()
        return check_wiki(self.conn, lambda code, name: config.enabled(code, name),
                          config.max_age_days)


class Located(NamedTuple):
    """A node of the index, as ``Wiki.locate`` finds it."""

    id: int
    key: str
    exists: bool
    path: str | None


def ask_data(result: AskResult) -> dict[str, Any]:
    """As SMW's ``action=ask`` answers: the results, their count and offset, and where to
    continue when the limit cut them (``wikiflow query --format json``, the MCP ``ask``)."""
    data: dict[str, Any] = {"results": result.rows, "meta": {
        "count": len(result.rows), "offset": result.offset, "total": result.total}}
    if result.further:
        data["query-continue-offset"] = result.next_offset
    if result.warnings:
        data["warnings"] = result.warnings
    return data


#: The columns of the ``search`` table that words are matched in, and the weights of all
#: its columns in BM25 (the namespace, last, has none).
_TEXT_COLUMNS = "title overview description usage steps"
_TEXT_LIST = _TEXT_COLUMNS.replace(" ", ", ")
_TEXT_WEIGHTS = "1, 1, 1, 1, 1, 0"
#: The tokenizer of the ``search`` table (schema.sql), which the snippets' tables share.
_TOKENIZER = "porter unicode61"
#: Characters of a page's text column that a search snippet is made from (``Wiki._snippets``):
#: 30,000 characters of one word repeated take 1 ms, 300,000 take 0.3 s.
SNIPPET_PART = 30_000


def _search_words(text: str) -> list[str]:
    """The words of a search. NUL, which FTS5's query syntax cannot hold (even quoted),
    separates words, as the tokenizer takes it when it reads a page."""
    return text.replace("\0", " ").split()


def _parts(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive parts of at most ``size`` characters, each cut after a space
    or line end in its second half, so that words stay whole (cut anywhere if none)."""
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            half = start + size // 2
            cut = max(text.rfind(" ", half, end), text.rfind("\n", half, end))
            end = cut + 1 if cut >= 0 else end
        yield text[start:end]
        start = end


def _candidate_keys(name: str) -> list[str]:
    """The page keys ``name`` may mean: itself with a namespace, else in each namespace of
    ``LOOKUP_ORDER``."""
    given = page_name(name)
    return [given.key] if given.namespace else [
        page_name(f"{ns}:{name}").key if ns else given.key for ns in LOOKUP_ORDER]


def _file_page(root: Path, key: str, path: str) -> DumpPage:
    """A page file as a dump revision: its text as the wiki stores it, its mtime as the time.
    Plain ``os`` calls and the open file's ``fstat``: ``Path`` objects and a second lookup
    of the name were a tenth of a mediawiki-xml export."""
    file = os.path.join(root, path)
    try:
        with open(file, "rb") as handle:
            data = handle.read()
            stamp = datetime.fromtimestamp(os.fstat(handle.fileno()).st_mtime, UTC)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{file}: cannot export: {error}") from error
    return DumpPage(page_name(key), wiki_text(text), None, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
