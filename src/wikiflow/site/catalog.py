"""What the site knows of the whole wiki, read from the index in a few queries: every page with
its site path, which Workflows use each page and at which step, the domains.

Read once per build (and again by ``serve`` after a re-index), so that rendering a page asks
nothing of SQLite: the build renders pages in worker processes, which share this by fork.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from .paths import page_path


#: ``Entry`` and ``Use`` are plain slotted dataclasses, not frozen ones: a catalog makes one of
#: each for every page and two uses for every edge (400,000 pages: 1.3 million objects), and a
#: frozen dataclass is made 4.7 times slower, each field set through ``object.__setattr__``.
#: Nothing changes them once read.
@dataclass(slots=True)
class Entry:
    """A page of the index (``exists`` false for a page only linked to)."""

    key: str
    namespace: str
    title: str
    exists: bool
    file: str | None
    overview: str
    last_updated: str | None


@dataclass(slots=True)
class Use:
    """A typed edge seen from one end: ``other`` is the page at the far end; ``step`` (at
    step ``number``, named ``name``), ``uses_heuristic`` or another page-valued property."""

    other: str
    property: str
    number: int | None
    name: str | None


@dataclass(slots=True)
class Catalog:
    entries: dict[str, Entry] = field(default_factory=dict)
    #: site path of every existing page that has one
    paths: dict[str, str] = field(default_factory=dict)
    #: edges into each page, and out of each page
    used_by: dict[str, list[Use]] = field(default_factory=dict)
    uses: dict[str, list[Use]] = field(default_factory=dict)
    domains: dict[str, list[str]] = field(default_factory=dict)
    page_domains: dict[str, list[str]] = field(default_factory=dict)

    def existing(self, namespace: str | None = None) -> list[Entry]:
        """Existing pages (of ``namespace`` when given), by key."""
        return sorted((e for e in self.entries.values()
                       if e.exists and (namespace is None or e.namespace == namespace)),
                      key=lambda e: e.key)

    def refresh(self, conn: sqlite3.Connection, keys: list[str]) -> None:
        """Read again what the index holds of the pages ``keys`` (re-indexed, added or
        removed), and of the pages their links name: ``serve`` after an edit, where reading
        the whole catalog of a 40,000-page wiki took seconds."""
        keys = sorted(set(keys))
        for key in keys:
            self._forget(key)
        marks = ", ".join("?" * len(keys))
        self._add_pages(conn.execute(f"{_PAGES} WHERE key IN ({marks})", keys))
        edges = conn.execute(f"{_EDGES} WHERE s.key IN ({marks}) ORDER BY s.key, e.position",
                             keys).fetchall()
        named = sorted({row[1] for row in edges} - self.entries.keys())
        for part in range(0, len(named), 500):  # SQLite's limit on parameters
            chunk = named[part:part + 500]
            self._add_pages(conn.execute(
                f"{_PAGES} WHERE key IN ({', '.join('?' * len(chunk))})", chunk))
        self._add_edges(edges)
        for target in {row[1] for row in edges}:
            self.used_by[target].sort(key=lambda use: use.other)  # stable: step order kept
        self._add_domains(conn.execute(f"{_DOMAINS} WHERE p.key IN ({marks}) ORDER BY d.name",
                                       keys))
        for domain in {d for key in keys for d in self.page_domains.get(key, [])}:
            self.domains[domain].sort()

    def _forget(self, key: str) -> None:
        """Drop the page ``key``, its links and its domains."""
        self.entries.pop(key, None)
        self.paths.pop(key, None)
        for use in self.uses.pop(key, []):
            kept = [u for u in self.used_by.get(use.other, []) if u.other != key]
            if kept:
                self.used_by[use.other] = kept
            else:
                self.used_by.pop(use.other, None)
        for domain in self.page_domains.pop(key, []):
            self.domains[domain] = [k for k in self.domains.get(domain, []) if k != key]
            if not self.domains[domain]:
                del self.domains[domain]

    def _add_pages(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for key, namespace, title, exists, file, overview, updated in rows:
            self.entries[key] = Entry(key, namespace, title, bool(exists), file,
                                      overview or "", updated)
            if exists and (path := page_path(key)) is not None:
                self.paths[key] = path

    def _add_edges(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for source, target, prop, number, name in rows:
            self.uses.setdefault(source, []).append(Use(target, prop, number, name))
            self.used_by.setdefault(target, []).append(Use(source, prop, number, name))

    def _add_domains(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for name, key in rows:
            self.domains.setdefault(name, []).append(key)
            self.page_domains.setdefault(key, []).append(name)


_PAGES = "SELECT key, namespace, title, exists_, path, overview, last_updated FROM pages"
_EDGES = ("SELECT s.key, t.key, e.property, e.step_number, e.step_name FROM edges e "
          "JOIN pages s ON s.id = e.source JOIN pages t ON t.id = e.target")
_DOMAINS = "SELECT d.name, p.key FROM domains d JOIN pages p ON p.id = d.page"


def read_catalog(conn: sqlite3.Connection) -> Catalog:
    """The catalog of the index open on ``conn``. Edges and domains are read by page id and
    named through the pages read first, then put in the order of the pages' keys: joined
    to ``pages`` and sorted by key in SQL (2.9 and 2.1 s of queries), the catalog of a
    400,000-page wiki took 12.0 s to read, and 9.4 s this way."""
    catalog = Catalog()
    catalog._add_pages(conn.execute(_PAGES))
    keys = dict(conn.execute("SELECT id, key FROM pages"))
    catalog._add_edges((keys[source], keys[target], prop, number, name) for
                       source, target, prop, number, name in conn.execute(_EDGES_BY_ID))
    for uses in catalog.used_by.values():  # by the key of the page using it (stable: a
        uses.sort(key=_OTHER)              # page's own uses stay in its order)
    by_name: dict[str, list[str]] = {}
    for name, page in conn.execute("SELECT name, page FROM domains"):
        by_name.setdefault(name, []).append(keys[page])
    catalog._add_domains((name, key) for name in sorted(by_name) for key in sorted(by_name[name]))
    return catalog


_EDGES_BY_ID = ("SELECT source, target, property, step_number, step_name FROM edges "
                "WHERE target IS NOT NULL ORDER BY source, position")
_OTHER = attrgetter("other")
