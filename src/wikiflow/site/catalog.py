"""What the site knows of the whole wiki, read from the index in a few queries: every page with
its site path, which Workflows use each page and at which step, the domains.

Read once per build (and again by ``serve`` after a re-index), so that rendering a page asks
nothing of SQLite: the build renders pages in worker processes, which share this by fork.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from .paths import page_path


@dataclass(frozen=True, slots=True)
class Entry:
    """A page of the index (``exists`` false for a page only linked to)."""

    key: str
    namespace: str
    title: str
    exists: bool
    file: str | None
    overview: str
    last_updated: str | None


@dataclass(frozen=True, slots=True)
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


def read_catalog(conn: sqlite3.Connection) -> Catalog:
    """The catalog of the index open on ``conn``."""
    catalog = Catalog()
    for key, namespace, title, exists, file, overview, updated in conn.execute(
            "SELECT key, namespace, title, exists_, path, overview, last_updated FROM pages"):
        catalog.entries[key] = Entry(key, namespace, title, bool(exists), file, overview or "",
                                     updated)
        if exists and (path := page_path(key)) is not None:
            catalog.paths[key] = path
    into: defaultdict[str, list[Use]] = defaultdict(list)
    out: defaultdict[str, list[Use]] = defaultdict(list)
    for source, target, prop, number, name in conn.execute(
            "SELECT s.key, t.key, e.property, e.step_number, e.step_name FROM edges e "
            "JOIN pages s ON s.id = e.source JOIN pages t ON t.id = e.target "
            "ORDER BY s.key, e.position"):
        out[source].append(Use(target, prop, number, name))
        into[target].append(Use(source, prop, number, name))
    catalog.used_by, catalog.uses = dict(into), dict(out)
    domains: defaultdict[str, list[str]] = defaultdict(list)
    page_domains: defaultdict[str, list[str]] = defaultdict(list)
    for name, key in conn.execute("SELECT d.name, p.key FROM domains d JOIN pages p ON "
                                  "p.id = d.page ORDER BY d.name, p.key"):
        domains[name].append(key)
        page_domains[key].append(name)
    catalog.domains, catalog.page_domains = dict(domains), dict(page_domains)
    return catalog
