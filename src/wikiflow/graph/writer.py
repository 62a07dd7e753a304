"""The rows one indexing run writes to the index: node ids allocated, the rows of each record
batched per table and inserted with ``executemany``. ``Store.write`` drives it inside its
transaction.
"""

from __future__ import annotations

import sqlite3

from ..page.names import page_name
from .records import PageRecord

#: The page id in a rowid of the ``titles`` table.
TITLE_PAGE_ID = (1 << 32) - 1


def title_rowid(title: str, page_id: int) -> int:
    """The rowid of a page in the ``titles`` table (see schema.sql): short titles first."""
    return len(title) << 32 | page_id


_CHILD_TABLES = ("props", "edges", "sources", "domains", "categories")

_PAGE_COLUMNS = ("id, key, namespace, title, exists_, path, overview, description, usage, "
                 "last_updated, last_updated_raw, steps")
#: Batched inserts, in the order they are flushed: pages before the rows that refer to them.
_INSERT = {
    "pages": f"INSERT INTO pages ({_PAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "files": "INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
             "page = excluded.page, hash = excluded.hash, mtime_ns = excluded.mtime_ns, "
             "size = excluded.size",
    "props": "INSERT INTO props VALUES (?, ?, ?, ?, ?)",
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


class Writer:
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
            self.prop_rows.extend([(page_id, prop, value, number, line)
                                   for prop, value, number, line in r.props])
        if r.edges:
            self.edge_rows.extend([
                (page_id, ids.get(key) or node(key) if key else None, prop, number, name,
                 position, line, column)
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
