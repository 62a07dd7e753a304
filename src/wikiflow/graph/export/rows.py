"""The part of the index an export covers, read as streams of nodes and edges.

Every exporter reads the index through :class:`Subgraph`, so they agree on what a node and an
edge are and on what a ``pages=`` export contains. Rows come straight from SQLite cursors: the
whole graph is never held in Python here, whatever the size of the index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from ...errors import WikiflowError
from ...terminal import track


class ExportError(WikiflowError):
    """An export cannot be written as asked (unknown format or page id, unusable output)."""


class Source(NamedTuple):
    """One row of a page's Sources table."""

    type: str
    title: str
    url: str


class Step(NamedTuple):
    """One step of a Workflow as written; ``principle`` is None when its link is missing.
    ``position`` is its edge's order on the page, as on the edges."""

    number: int | None
    name: str | None
    principle: str | None
    position: int


# Rows are named tuples rather than frozen dataclasses: an export makes one per page, source,
# step and edge, and a frozen dataclass takes about four times as long to make (a tenth of a
# 40,000-page export).
class Node(NamedTuple):
    """A page, or a link target without a page (``exists`` false)."""

    id: int
    key: str
    namespace: str
    title: str
    exists: bool
    overview: str | None
    last_updated: str | None
    domains: tuple[str, ...]
    sources: tuple[Source, ...]
    categories: tuple[str, ...]
    #: Every step of a Workflow in order, those without a principle too (they have no edge).
    steps: tuple[Step, ...]

    @property
    def full(self) -> str:
        """The display name, ``Principle:Data formatting``."""
        return f"{self.namespace}:{self.title}" if self.namespace else self.title


class Edge(NamedTuple):
    """A typed edge between two page keys; step edges carry their number and name."""

    source: str
    target: str
    property: str
    step_number: int | None
    step_name: str | None
    position: int


_NODE_SQL = ("SELECT p.id, p.key, p.namespace, p.title, p.exists_, p.overview, p.last_updated "
             "FROM pages p {where} ORDER BY {order}")
# A page's domains, sources, categories and steps come from one cursor per table, in the order
# of the pages' cursor, and are merged with it (``_Children``): each table is read once along
# its page index. Folded into JSON arrays by grouped subqueries joined to pages, they took half
# the time of an export (temporary B-trees to group and to join, then a JSON parse per list).
# ``{join}`` joins the pages when the order is theirs (Cypher's, by label) rather than the id.
_CHILD_SQL = "SELECT c.page, {columns} FROM {table} c{{join}} {{where}} ORDER BY {{order}}, {order}"
_CHILDREN = (
    ("domains", _CHILD_SQL.format(columns="c.name", table="domains", order="c.rowid")),
    ("sources", _CHILD_SQL.format(columns="c.type, c.title, c.url", table="sources",
                                  order="c.position, c.rowid")),
    ("categories", _CHILD_SQL.format(columns="c.name", table="categories", order="c.rowid")),
    ("steps", _CHILD_SQL.format(
        columns="c.step_number, c.step_name, t.key, c.position", order="c.position",
        table="(SELECT source AS page, position, step_number, step_name, target FROM edges "
              "WHERE property = 'step')")
     .replace("{join}", " LEFT JOIN pages t ON t.id = c.target{join}")),
)
#: How each child table's row (after its page id) becomes a value of the node.
_MAKE = {"domains": itemgetter(1), "categories": itemgetter(1),
         "sources": lambda row: Source(*row[1:]), "steps": lambda row: Step(*row[1:])}
_EDGE_COLUMNS = "s.key, t.key, e.property, e.step_number, e.step_name, e.position"
#: The chosen page ids travel as one JSON parameter, so any number of them fits one query.
_CHOSEN = "WITH chosen(id) AS (SELECT value FROM json_each(?)) "
_END = (None, iter(()))


class _Children:
    """One child table's rows, grouped by page, taken as the pages' cursor reaches each page."""

    def __init__(self, name: str, rows: sqlite3.Cursor) -> None:
        self.name = name
        self._groups = groupby(rows, itemgetter(0))
        self._make = _MAKE[name]
        self._page, self._rows = next(self._groups, _END)

    def of(self, page: int) -> tuple[Any, ...]:
        """The values of ``page``: the pages come in the cursor's order, so only the current
        group can be theirs."""
        if self._page != page:
            return ()
        values = tuple(map(self._make, self._rows))
        self._page, self._rows = next(self._groups, _END)
        return values

    def check_done(self) -> None:
        """Rows left over belong to no page read (an index whose foreign keys were off):
        an error, never silently dropped."""
        if self._page is not None:
            raise ExportError(f"the index holds {self.name} of page id {self._page}, which "
                              "it has no page for: delete the index and run wikiflow index again")


class Subgraph:
    """The whole index (``ids`` None) or the pages ``ids`` and the edges among them."""

    def __init__(self, conn: sqlite3.Connection, ids: frozenset[int] | None = None) -> None:
        self.conn = conn
        self.ids = ids

    def _query(self, sql: str, **where: str) -> sqlite3.Cursor:
        """Run ``sql`` with its ``{where...}`` slots filled: empty for the whole index."""
        if self.ids is None:
            return self.conn.execute(sql.format(**{slot: "" for slot in where}))
        chosen = json.dumps(sorted(self.ids))
        filled = {slot: f"WHERE {condition}" for slot, condition in where.items()}
        return self.conn.execute(_CHOSEN + sql.format(**filled), (chosen,))

    def nodes(self, *, by_label: bool = False) -> Iterator[Node]:
        """Nodes in id order, or grouped by namespace and existence (Cypher batches by label)."""
        order = "p.namespace, p.exists_ DESC, p.id" if by_label else "p.id"
        pages = self._query(_NODE_SQL.replace("{order}", order), where="p.id IN chosen")
        join = " JOIN pages p ON p.id = c.page" if by_label else ""
        children = [_Children(name, self._query(
            sql.replace("{join}", join).replace("{order}", order if by_label else "c.page"),
            where="c.page IN chosen")) for name, sql in _CHILDREN]
        domains, sources, categories, steps = (child.of for child in children)
        rows = track(pages, "Exporting", total=self.count())
        for ident, key, namespace, title, exists, overview, last_updated in rows:
            yield Node(ident, key, namespace, title, bool(exists), overview, last_updated,
                       domains(ident), sources(ident), categories(ident), steps(ident))
        for child in children:
            child.check_done()

    def count(self) -> int:
        """How many nodes ``nodes`` yields (the total of the export's progress bar)."""
        if self.ids is not None:
            return len(self.ids)
        return int(self.conn.execute("SELECT count(*) FROM pages").fetchone()[0])

    def edges(self, *, by_property: bool = False, steps: bool = True) -> Iterator[Edge]:
        """Edges in page order (source, then position), or grouped by property first;
        without step edges when not ``steps`` (RDF has the steps from the nodes, and step
        edges are most edges)."""
        order = "e.property, e.source, e.position" if by_property else "e.source, e.position"
        # The step condition sits in the join, so the {where} slot stays the chosen pages'.
        kept = "" if steps else " AND e.property != 'step'"
        sql = (f"SELECT {_EDGE_COLUMNS} FROM edges e JOIN pages s ON s.id = e.source "
               f"JOIN pages t ON t.id = e.target{kept} {{where}} ORDER BY {order}")
        rows = self._query(sql, where="e.source IN chosen AND e.target IN chosen")
        return map(Edge._make, rows)


def select(conn: sqlite3.Connection, pages: Collection[int] | None) -> Subgraph:
    """The subgraph an export covers: everything, or ``pages`` and their neighbourhood.

    The neighbourhood is every node one edge away in either direction, so a workflow comes with
    its principles and heuristics and a principle with the workflows that use it.
    """
    if pages is None:
        return Subgraph(conn)
    wanted = sorted({int(page) for page in pages})
    chosen = json.dumps(wanted)
    _check_known(conn, wanted, chosen)
    near = conn.execute(
        _CHOSEN + "SELECT target FROM edges WHERE source IN chosen AND target IS NOT NULL "
        "UNION SELECT source FROM edges WHERE target IN chosen", (chosen,))
    return Subgraph(conn, frozenset(wanted).union(row[0] for row in near))


def _check_known(conn: sqlite3.Connection, wanted: list[int], chosen: str) -> None:
    """Unknown ids are a caller's mistake (a stale id, a wrong index): say which, do not skip."""
    known = {row[0] for row in conn.execute(
        _CHOSEN + "SELECT id FROM pages WHERE id IN chosen", (chosen,))}
    unknown = [page for page in wanted if page not in known]
    if unknown:
        shown = ", ".join(map(str, unknown[:10])) + (", ..." if len(unknown) > 10 else "")
        raise ExportError(f"no page with id {shown} in the index")
