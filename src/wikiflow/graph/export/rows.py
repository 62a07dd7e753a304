"""The part of the index an export covers, read as streams of nodes and edges.

Every exporter reads the index through :class:`Subgraph`, so they agree on what a node and an
edge are and on what a ``pages=`` export contains. Rows come straight from SQLite cursors: the
whole graph is never held in Python here, whatever the size of the index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ...errors import WikiflowError
from ...progress import track


class ExportError(WikiflowError):
    """An export cannot be written as asked (unknown format or page id, unusable output)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One row of a page's Sources table."""

    type: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a Workflow as written; ``principle`` is None when its link is missing.
    ``position`` is its edge's order on the page, as on the edges."""

    number: int | None
    name: str | None
    principle: str | None
    position: int


@dataclass(frozen=True, slots=True)
class Node:
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


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed edge between two page keys; step edges carry their number and name."""

    source: str
    target: str
    property: str
    step_number: int | None
    step_name: str | None
    position: int


# A page's domains, sources and categories are folded into one JSON array per page by a grouped
# subquery joined to pages, so a node is one row of one cursor: one pass over each child table
# instead of three index lookups per page (about 3x faster on 400,000 pages, and independent of
# which indexes the schema has). ``{where}`` narrows the children to a ``pages=`` export.
_CHILDREN = """
    LEFT JOIN (SELECT page, json_group_array({value}) AS items FROM
        (SELECT * FROM {table} {{where}} ORDER BY page, {order}) GROUP BY page) {alias}
        ON {alias}.page = p.id"""
_NODE_SQL = "".join((
    "SELECT p.id, p.key, p.namespace, p.title, p.exists_, p.overview, p.last_updated, "
    "d.items, s.items, c.items, st.items FROM pages p",
    _CHILDREN.format(value="name", table="domains", order="rowid", alias="d"),
    _CHILDREN.format(value="json_array(type, title, url)", table="sources",
                     order="position, rowid", alias="s"),
    _CHILDREN.format(value="name", table="categories", order="rowid", alias="c"),
    _CHILDREN.format(value="json_array(number, name, principle, position)", order="position",
                     table="(SELECT e.source AS page, e.position, e.step_number AS number, "
                     "e.step_name AS name, t.key AS principle FROM edges e LEFT JOIN pages t "
                     "ON t.id = e.target WHERE e.property = 'step')", alias="st"),
    " {where_pages} ORDER BY {order}"))
_EDGE_COLUMNS = "s.key, t.key, e.property, e.step_number, e.step_name, e.position"
#: The chosen page ids travel as one JSON parameter, so any number of them fits one query.
_CHOSEN = "WITH chosen(id) AS (SELECT value FROM json_each(?)) "


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
        sql = _NODE_SQL.replace("{order}", order)
        rows = self._query(sql, where="page IN chosen", where_pages="p.id IN chosen")
        for row in track(rows, "Exporting", total=self.count()):
            yield _node(row)

    def count(self) -> int:
        """How many nodes ``nodes`` yields (the total of the export's progress bar)."""
        if self.ids is not None:
            return len(self.ids)
        return int(self.conn.execute("SELECT count(*) FROM pages").fetchone()[0])

    def edges(self, *, by_property: bool = False) -> Iterator[Edge]:
        """Edges in page order (source, then position), or grouped by property first."""
        order = "e.property, e.source, e.position" if by_property else "e.source, e.position"
        sql = (f"SELECT {_EDGE_COLUMNS} FROM edges e JOIN pages s ON s.id = e.source "
               f"JOIN pages t ON t.id = e.target {{where}} ORDER BY {order}")
        for row in self._query(sql, where="e.source IN chosen AND e.target IN chosen"):
            yield Edge(*row)


def _node(row: tuple) -> Node:
    ident, key, namespace, title, exists, overview, last_updated, domains, sources, cats, \
        steps = row
    return Node(ident, key, namespace, title, bool(exists), overview, last_updated,
                _strings(domains), tuple(Source(*s) for s in json.loads(sources or "[]")),
                _strings(cats), tuple(Step(*s) for s in json.loads(steps or "[]")))


def _strings(items: str | None) -> tuple[str, ...]:
    """A JSON array from a grouped subquery; NULL when the page has none."""
    return tuple(json.loads(items)) if items else ()


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
