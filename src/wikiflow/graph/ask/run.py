"""Run an ``#ask`` over an open index: parse, compile, execute, then fetch the printouts.

One statement selects the result pages, one more per printout fetches the values of all of
them at once; when the limit may have cut the results, one more counts them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any

from .compile import compile_ask
from .parse import parse_ask
from .query import AskError, Printout, Query

_PRINTOUT_SQL = {
    "property": "SELECT a.page, a.value FROM props AS a "
                "WHERE a.page IN (SELECT value FROM json_each(?1)) AND a.property = ?2 "
                "ORDER BY a.page, a.line, a.rowid",
    # CROSS JOIN keeps this order (result pages, then props_property_value by their keys):
    # SQLite would otherwise read every row of the property.
    "inverse": "SELECT t.id, s.key FROM pages AS t CROSS JOIN props AS a CROSS JOIN pages AS s "
               "WHERE t.id IN (SELECT value FROM json_each(?1)) AND a.property = ?2 "
               "AND a.value = t.key AND s.id = a.page "
               "ORDER BY t.id, s.key",
    "category": "SELECT c.page, 'Category:' || c.name FROM categories AS c "
                "WHERE c.page IN (SELECT value FROM json_each(?1)) "
                "ORDER BY c.page, c.name",
}


#: SQLite's errors for a statement beyond its compiled-in limits (parser stack, expression
#: depth, compound SELECT terms).
_TOO_COMPLEX = re.compile(r"parser stack overflow|too large|too many terms|too deep")


@dataclass
class AskResult:
    """One page of a query's results, with what SMW's ``action=ask`` reports beside them:
    ``total`` results in all, of which ``rows`` start at ``offset``; ``warnings`` say what in
    the query was read but changed nothing, or emptied the results unexpectedly."""

    rows: list[dict[str, Any]]
    offset: int
    total: int
    warnings: list[str] = field(default_factory=list)

    @property
    def next_offset(self) -> int:
        """The ``|offset=`` that continues after these rows."""
        return self.offset + len(self.rows)

    @property
    def further(self) -> bool:
        """Results remain past these rows (SMW's "further results" link)."""
        return self.next_offset < self.total


def run_ask(conn: sqlite3.Connection, text: str, *,
            default_limit: int = 50) -> list[dict[str, Any]]:
    """Run a query: one row per result page, ``{"page": key, label: [values...]}``.

    Printout values are strings: the key of the page a value names, else the value as written
    (dates as the page wrote them); distinct, in the order the page wrote them.
    """
    return ask_result(conn, text, default_limit=default_limit).rows


def ask_result(conn: sqlite3.Connection, text: str, *, default_limit: int = 50) -> AskResult:
    """``run_ask``'s rows with the number of results in all, so that a cut list can say so.

    The results are counted only when the limit may have cut them (SMW asks for one more row
    to know that; the count answers "how many more" too).
    """
    query = parse_ask(text)
    if query.limit is None:
        query = replace(query, limit=default_limit)
    rows = _fetch(conn, compile_ask(query), text)
    if len(rows) < (query.limit or 0) and (rows or not query.offset):
        total = query.offset + len(rows)
    else:
        sql, params = compile_ask(replace(query, limit=None, offset=0))
        total = _fetch(conn, (f"SELECT count(*), NULL FROM ({sql})", params), text)[0][0]
    results: list[dict[str, Any]] = [{"page": row[1]} for row in rows]
    ids = [row[0] for row in rows]
    for printout in query.printouts:
        values = _printout_values(conn, printout, ids)
        for result, page_id in zip(results, ids):
            result[printout.label] = list(dict.fromkeys(values.get(page_id, [])))
    return AskResult(results, query.offset, total, query.warnings + _sort_warnings(conn, query))


def _sort_warnings(conn: sqlite3.Connection, query: Query) -> list[str]:
    """A sort key no page has a value of: as in SMW the results are only the pages that have
    one, so there are none, which a misspelt name would otherwise leave unexplained."""
    return [f"no page has a value of '{prop}', and results are only the pages that have a "
            f"value of each sort property (as in SMW): 'sort={prop}' leaves no results"
            for prop in dict.fromkeys(prop for prop, _ in query.sort if prop)
            if conn.execute("SELECT 1 FROM props WHERE property = ? LIMIT 1",
                            (prop,)).fetchone() is None]


def _fetch(conn: sqlite3.Connection, statement: tuple[str, list[Any]],
           text: str) -> list[Any]:
    try:
        return conn.execute(*statement).fetchall()
    except sqlite3.OperationalError as error:  # a safety net: MAX_DEPTH and MAX_SIZE keep to
        if not _TOO_COMPLEX.search(str(error)):  # SQLite's limits (tests/graph/test_ask.py)
            raise
        raise AskError(f"the query is too complex for SQLite ({error}): nest fewer subqueries "
                       "and property chains", 0, text) from error


def _printout_values(conn: sqlite3.Connection, printout: Printout,
                     ids: list[int]) -> dict[int, list[str]]:
    """All values of one printout for all result pages, in one statement."""
    values: dict[int, list[str]] = {}
    if not ids:
        return values
    params = [json.dumps(ids)] + ([] if printout.kind == "category" else [printout.property])
    for page_id, value in conn.execute(_PRINTOUT_SQL[printout.kind], params):
        values.setdefault(page_id, []).append(value)
    return values
