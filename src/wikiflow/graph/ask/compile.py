"""Compile a :class:`~wikiflow.graph.ask.query.Query` into one parameterised SQL statement.

The statement runs over ``schema.sql`` and is shaped for SQLite's planner on a large index: the
most selective condition of a conjunction becomes ``p.id IN (<ids>)`` so that its index drives
the search, and every other condition becomes a correlated test on the few candidate rows
(``EXISTS`` on ``props_page`` or ``props_property_value``), never a scan of ``props`` per page.
A Page value is stored as its page's key, so following one to its page, or back, joins
``props.value`` with ``pages.key``. Every value from the query is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...page.names import page_name
from ..records import is_page_property, page_value
from .query import (
    And,
    CategoryCondition,
    Condition,
    NamespaceCondition,
    Or,
    PageCondition,
    PageLike,
    PropertyCondition,
    Query,
    Subquery,
    Value,
    glob_pattern,
)


def compile_ask(query: Query) -> tuple[str, list[Any]]:
    """One SQL statement selecting ``pages.id, pages.key`` of the results, sorted and limited.

    Results are pages that exist, plus pages a page condition names outright (so that
    ``[[Principle:Missing]]`` finds a page only linked to); sorting by a property keeps only
    the pages that have it, as SMW does. Placeholders are numbered (``?3``)
    so that pieces can be built in any order and a parameter used twice is bound once.
    """
    compiler = _Compiler()
    where = compiler.where(query.conditions, "p.id")
    named = sorted(set(_named_keys(query.conditions)))
    exists = (f"(p.exists_ = 1 OR p.key IN ({compiler.bind(*named)}))" if named
              else "p.exists_ = 1")
    order = compiler.order_by(query.sort)
    sorted_by = compiler.sort_properties(query.sort)
    limit = compiler.bind(-1 if query.limit is None else query.limit)
    offset = compiler.bind(query.offset)
    sql = (f"SELECT p.id, p.key FROM pages AS p WHERE {where} AND {exists}{sorted_by} "
           f"ORDER BY {order} LIMIT {limit} OFFSET {offset}")
    return sql, compiler.params


def _named_keys(node: Condition) -> Iterable[str]:
    """Keys named by page conditions outside subqueries: results even when the page is missing."""
    if isinstance(node, PageCondition) and not node.negated:
        yield node.key
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from _named_keys(item)


#: How selective a condition usually is (lower: fewer rows); the lowest drives a conjunction.
#: Comparators and patterns rank after namespaces: no index serves them (props has none on
#: number, and GLOB patterns may start with a wildcard), so they read every row of their
#: property.
_VALUE_RANKS = {"=": 1, "<": 5, ">": 5, "<=": 5, ">=": 5, "~": 5, "+": 6, "!": 7, "!~": 7}


def _rank(node: Condition) -> int:
    if isinstance(node, (PageCondition, PageLike, CategoryCondition)) and node.negated:
        return 7
    if isinstance(node, PageCondition):
        return 0
    if isinstance(node, PropertyCondition):
        return max(2 if isinstance(v, Subquery) else _VALUE_RANKS[v.op] for v in node.values)
    if isinstance(node, CategoryCondition):
        return 2 if node.name else 6
    if isinstance(node, (NamespaceCondition, PageLike)):
        return 4
    ranks = [_rank(item) for item in node.items]
    return min(ranks) if isinstance(node, And) else max(ranks)


def _stored(prop: str, text: str) -> str:
    """A value of ``prop`` as the store keeps it (``records._props``): a Page value as its
    title's key, so that ``fine tuning`` and ``Fine_tuning`` are one value; others as written."""
    return (page_value(text) or text) if is_page_property(prop) else text


class _Compiler:
    """Builds SQL text and its parameters; aliases are numbered so correlations never clash."""

    def __init__(self) -> None:
        self.params: list[Any] = []
        self.aliases = 0

    def bind(self, *values: Any) -> str:
        marks = []
        for value in values:
            self.params.append(value)
            marks.append(f"?{len(self.params)}")
        return ", ".join(marks)

    def alias(self, prefix: str) -> str:
        self.aliases += 1
        return f"{prefix}{self.aliases}"

    # Sets of page ids, and tests of one id

    def where(self, node: Condition, column: str) -> str:
        """``column`` satisfies ``node``: the most selective part drives, the rest test."""
        if isinstance(node, And):
            driver, *rest = sorted(node.items, key=_rank)
            return " AND ".join([self.where(driver, column)]
                                + [self.test(item, column) for item in rest])
        return f"{column} IN ({self.source(node)})"

    def source(self, node: Condition) -> str:
        """A SELECT (possibly a UNION ALL) of the ids of the pages matching ``node``."""
        if isinstance(node, Or):
            return " UNION ALL ".join(self.source(item) for item in node.items)
        if isinstance(node, And):
            p = self.alias("p")
            return f"SELECT {p}.id FROM pages AS {p} WHERE {self.where(node, f'{p}.id')}"
        if isinstance(node, PropertyCondition):
            make = self.inverse_source if node.inverse else self.forward_source
            return " UNION ALL ".join(make(node.property, value) for value in node.values)
        return self.page_source(node)

    def page_source(self, node: Condition) -> str:
        p = self.alias("p")
        if isinstance(node, PageCondition):
            equal = "!=" if node.negated else "="
            return f"SELECT {p}.id FROM pages AS {p} WHERE {p}.key {equal} {self.bind(node.key)}"
        if isinstance(node, PageLike):
            return f"SELECT {p}.id FROM pages AS {p} WHERE {self.page_like(node, p)}"
        if isinstance(node, NamespaceCondition):
            return (f"SELECT {p}.id FROM pages AS {p} "
                    f"WHERE {p}.namespace = {self.bind(node.namespace)}")
        assert isinstance(node, CategoryCondition)
        if node.negated:
            return (f"SELECT {p}.id FROM pages AS {p} "
                    f"WHERE {p}.id NOT IN ({self.members(node.name)})")
        return self.members(node.name)

    def page_like(self, node: PageLike, p: str) -> str:
        """The page ``p`` is in the pattern's namespace and its key matches (or not) the
        pattern."""
        glob = "NOT GLOB" if node.negated else "GLOB"
        return (f"{p}.namespace = {self.bind(node.namespace)} "
                f"AND {p}.key {glob} {self.bind(node.pattern)}")

    def members(self, name: str | None) -> str:
        """The pages in category ``name`` (any category for None). A category page in a
        category is its subcategory, not a member, as in SMW (its tests q-0622, q-0802)."""
        c, m = self.alias("c"), self.alias("m")
        named = f" AND {c}.name = {self.bind(name)}" if name is not None else ""
        return (f"SELECT {c}.page FROM categories AS {c} JOIN pages AS {m} ON {m}.id = {c}.page "
                f"WHERE {m}.namespace != 'Category'{named}")

    def test(self, node: Condition, column: str) -> str:
        """A boolean SQL expression: the page ``column`` matches ``node`` (used per candidate)."""
        if isinstance(node, (And, Or)):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.test(item, column) for item in node.items) + ")"
        if isinstance(node, PropertyCondition):
            return self.property_test(node, column)
        if isinstance(node, CategoryCondition):
            # categories has no index on page: one uncorrelated set beats a scan per candidate.
            return f"{column} {'NOT IN' if node.negated else 'IN'} ({self.members(node.name)})"
        if isinstance(node, PageCondition):
            if not node.negated:
                return f"{column} = ({self.page_id(node.key)})"
            # IS NOT: every page differs from a missing one. A value that is no page (a NULL
            # id) fails here as in every other test, or a subquery tested per candidate would
            # take values its driving form (rows of pages) never yields.
            return f"({column} IS NOT NULL AND {column} IS NOT ({self.page_id(node.key)}))"
        p = self.alias("p")
        if isinstance(node, PageLike):
            return (f"EXISTS (SELECT 1 FROM pages AS {p} WHERE {p}.id = {column} "
                    f"AND {self.page_like(node, p)})")
        assert isinstance(node, NamespaceCondition)
        return (f"EXISTS (SELECT 1 FROM pages AS {p} WHERE {p}.id = {column} "
                f"AND {p}.namespace = {self.bind(node.namespace)})")

    # Property conditions

    def property_test(self, node: PropertyCondition, column: str) -> str:
        """``EXISTS`` a props row of the page ``column`` (inverse: naming it) that matches.

        The row's value is joined to the page it names (``t``) only when a test needs that
        page: joined rather than nested, since SQLite's parser stack holds few nested SELECTs.
        """
        a, t = self.alias("a"), self.alias("t")
        if node.inverse:  # the page, then props_property_value by its key (CROSS JOIN: so)
            rows = f"pages AS {t} CROSS JOIN props AS {a} ON {a}.value = {t}.key"
            anchor = f"{t}.id = {column}"
            values = " OR ".join(self.inverse_predicate(value, a) for value in node.values)
        else:
            # props_page, named: with a join SQLite may choose props_property_value, which
            # reads every row of the property for each candidate page.
            joined = any(isinstance(value, Subquery) for value in node.values)
            rows = f"props AS {a} INDEXED BY props_page" + (
                f" LEFT JOIN pages AS {t} ON {t}.key = {a}.value" if joined else "")
            anchor = f"{a}.page = {column}"
            values = " OR ".join(self.forward_predicate(node.property, value, a, t)
                                 for value in node.values)
        if len(node.values) > 1:  # each predicate binds tighter than AND: parentheses only here
            values = f"({values})"
        return (f"EXISTS (SELECT 1 FROM {rows} WHERE {anchor} "
                f"AND {a}.property = {self.bind(node.property)} AND {values})")

    def forward_source(self, prop: str, value: Value | Subquery) -> str:
        a = self.alias("a")
        if isinstance(value, Subquery):
            t = self.alias("t")  # the subquery's pages, then their keys' props rows
            return (f"SELECT {a}.page FROM pages AS {t} CROSS JOIN props AS {a} "
                    f"ON {a}.value = {t}.key WHERE {a}.property = {self.bind(prop)} "
                    f"AND {t}.id IN ({self.source(value.conditions)})")
        return (f"SELECT {a}.page FROM props AS {a} WHERE {a}.property = {self.bind(prop)} "
                f"AND {self.forward_predicate(prop, value, a, '')}")

    def forward_predicate(self, prop: str, value: Value | Subquery, a: str, t: str) -> str:
        """A test of one props row ``a`` of ``prop``, joined to its page ``t`` where a subquery
        needs it; values compare as the store keeps them."""
        if isinstance(value, Subquery):  # a value that is no page has a NULL id: it fails
            return self.test(value.conditions, f"{t}.id")
        if value.op == "+":
            return "1"
        if value.op in ("=", "!"):
            equal = "=" if value.op == "=" else "!="
            return f"{a}.value {equal} {self.bind(_stored(prop, value.text))}"
        if value.op in ("~", "!~"):
            glob = "NOT GLOB" if value.op == "!~" else "GLOB"
            pattern = glob_pattern(value.text, title=is_page_property(prop))
            return f"{a}.value {glob} {self.bind(pattern)}"
        return f"{a}.number {value.op} {self.bind(value.bound)}"

    def inverse_source(self, prop: str, value: Value | Subquery) -> str:
        """Pages that are the value of ``prop`` on pages matching ``value``."""
        a, t = self.alias("a"), self.alias("t")
        by_page = isinstance(value, Subquery) or value.op == "="
        # props_page, named when the pages are known: SQLite would otherwise read every row
        # of the property (props_property_value) and test each one's page.
        rows = f"props AS {a}" + (" INDEXED BY props_page" if by_page else "")
        select = (f"SELECT {t}.id FROM {rows} JOIN pages AS {t} ON {t}.key = {a}.value "
                  f"WHERE {a}.property = {self.bind(prop)}")
        if isinstance(value, Subquery):
            return f"{select} AND {a}.page IN ({self.source(value.conditions)})"
        if value.op == "=":
            return f"{select} AND {a}.page = ({self.page_id(page_name(value.text).key)})"
        return f"{select} AND {self.inverse_predicate(value, a)}"

    def inverse_predicate(self, value: Value | Subquery, a: str) -> str:
        if isinstance(value, Subquery):
            return self.test(value.conditions, f"{a}.page")
        if value.op == "+":
            return "1"
        if value.op in ("=", "!"):
            # IS NOT: a missing page is unequal to every page.
            equal = "=" if value.op == "=" else "IS NOT"
            return f"{a}.page {equal} ({self.page_id(page_name(value.text).key)})"
        s = self.alias("s")
        glob = "NOT EXISTS" if value.op == "!~" else "EXISTS"
        return (f"{glob} (SELECT 1 FROM pages AS {s} WHERE {s}.id = {a}.page "
                f"AND {s}.key GLOB {self.bind(glob_pattern(value.text, title=True))})")

    def page_id(self, key: str) -> str:
        p = self.alias("p")
        return f"SELECT {p}.id FROM pages AS {p} WHERE {p}.key = {self.bind(key)}"

    # Sorting

    def sort_properties(self, sort: list[tuple[str, bool]]) -> str:
        """`` AND`` a test per property sort key that the page has a value of it: SMW drops the
        pages without one (unless a wiki sets ``SMW_QSORT_UNCONDITIONAL``)."""
        tests = []
        for prop in dict.fromkeys(prop for prop, _ in sort if prop):
            a = self.alias("a")
            tests.append(f" AND EXISTS (SELECT 1 FROM props AS {a} WHERE {a}.page = p.id "
                         f"AND {a}.property = {self.bind(prop)})")
        return "".join(tests)

    def order_by(self, sort: list[tuple[str, bool]]) -> str:
        """Property sort keys take the page's least value ascending and greatest descending
        (every result has one: ``sort_properties``). Ties go by page name."""
        terms = []
        for prop, descending in sort:
            direction = "DESC" if descending else "ASC"
            if not prop:
                terms.append(f"p.key {direction}")
                continue
            a = self.alias("a")
            least = "MAX" if descending else "MIN"
            terms.append(f"(SELECT {least}(COALESCE({a}.number, {a}.value)) FROM props AS {a} "
                         f"WHERE {a}.page = p.id AND {a}.property = {self.bind(prop)}) "
                         f"{direction}")
        if ("", False) not in sort and ("", True) not in sort:
            terms.append("p.key ASC")
        return ", ".join(terms)
