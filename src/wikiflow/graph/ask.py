"""Semantic MediaWiki's ``#ask`` query language over the SQLite index: a documented subset.

``parse_ask`` turns the text after ``{{#ask:`` into a :class:`Query` (or raises a positioned
:class:`AskError`); ``compile_ask`` turns the query into one parameterised SQL statement over
``schema.sql``; ``run_ask`` executes it and fetches the printouts, one statement per printout.
docs/ask.md says what is supported and where the semantics differ from SMW's.

The SQL is shaped for SQLite's planner on a large index: the most selective condition of a
conjunction becomes ``p.id IN (<ids>)`` so that its index drives the search, and every other
condition becomes a correlated test on the few candidate rows (``EXISTS`` on ``props_page`` or
``props_target``), never a scan of ``props`` per page.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from wikiflow.errors import WikiflowError
from wikiflow.graph.records import julian_day
from wikiflow.page.model import Annotation
from wikiflow.page.names import page_name
from wikiflow.page.parse import parse_date
from wikiflow.page.spans import LineIndex

#: SMW's $smwgQMaxDepth and $smwgQMaxSize play the same part: a query stays a query, and the SQL
#: stays within SQLite's limits on expression depth and compound SELECTs.
MAX_DEPTH = 8
MAX_SIZE = 64
#: SMW's $smwgQMaxLimit.
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000
#: The parameters understood besides printouts; ``mainlabel`` and ``format`` shape SMW's HTML
#: output, which has no counterpart in a list of rows, so they are accepted and ignored.
PARAMETERS = ("limit", "offset", "sort", "order", "mainlabel", "format")


class AskError(WikiflowError):
    """A query that does not parse; ``position`` is the 0-based offset of the problem in it."""

    def __init__(self, message: str, position: int, text: str) -> None:
        line, column = LineIndex(text).position(position)
        super().__init__(f"query:{line}:{column}: {message}")
        self.message = message
        self.position = position


# ── The query model ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Value:
    """One alternative of a property condition.

    ``op`` is ``=``, ``!``, ``~``, ``!~``, ``+`` (any value) or an SQL comparison (``<=``, ``>=``,
    ``<``, ``>``); ``text`` is the value after the comparator, as written; ``bound`` is the
    comparison's operand: the number, or the date as a Julian day (as the store keeps dates).
    """

    op: str
    text: str = ""
    bound: float | None = None


@dataclass(frozen=True, slots=True)
class Subquery:
    """``<q>…</q>`` as a property value: the pages the inner conditions select."""

    conditions: Condition


@dataclass(frozen=True, slots=True)
class PropertyCondition:
    """``[[property::v1||v2]]``, or ``[[-property::…]]`` (inverse); ``property`` is normalised."""

    property: str
    inverse: bool
    values: tuple[Value | Subquery, ...]


@dataclass(frozen=True, slots=True)
class PageCondition:
    """``[[Principle:Quantization]]``: that page, by its key."""

    key: str


@dataclass(frozen=True, slots=True)
class PageLike:
    """``[[~Principle:Q*]]``: page keys matching an SQL LIKE pattern."""

    pattern: str


@dataclass(frozen=True, slots=True)
class NamespaceCondition:
    """``[[Workflow:+]]``; ``namespace`` is '' for the main namespace (``[[:+]]``)."""

    namespace: str


@dataclass(frozen=True, slots=True)
class CategoryCondition:
    """``[[Category:X]]`` by the stored category name; ``None`` for ``[[Category:+]]``."""

    name: str | None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Condition, ...]


Condition = (PropertyCondition | PageCondition | PageLike | NamespaceCondition
             | CategoryCondition | And | Or)


@dataclass(frozen=True, slots=True)
class Printout:
    """``|?property=Label``; ``kind`` is ``property``, ``inverse`` (``?-step``) or ``category``."""

    label: str
    property: str
    kind: str = "property"


@dataclass
class Query:
    """A parsed ``#ask``; ``sort`` pairs are (normalised property, '' for the page; descending)."""

    conditions: Condition
    printouts: list[Printout] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0
    sort: list[tuple[str, bool]] = field(default_factory=list)


# ── Parsing ──────────────────────────────────────────────────────────────────────────────────

_WRAPPER = re.compile(r"\s*\{\{\s*#ask\s*:", re.IGNORECASE)
#: Where a value, page name or property name ends.
_STOP = re.compile(r"\|\||\]\]|\[\[|</?q>|\|")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")
#: SMW's comparators; ``<`` and ``>`` include the bound, ``<<`` and ``>>`` do not.
_COMPARATORS = (("<<", "<"), (">>", ">"), ("≤", "<="), ("≥", ">="), ("<", "<="), (">", ">="))
_PREFIXES = (("!~", "!~"), ("~", "~"), ("!", "!"))
_ORDERS = {"asc": False, "ascending": False, "desc": True, "descending": True}


def parse_ask(text: str) -> Query:
    """Parse the conditions and parameters of an ``#ask`` (with or without ``{{#ask: … }}``)."""
    start, end = _body(text)
    parser = _Parser(text, start, end)
    conditions = parser.disjunction(0)
    parser.skip_space()
    if parser.pos < end and not parser.at("|"):
        parser.fail(parser.pos, f"expected '[[', 'OR' or '|' {parser.found()}")
    return parser.parameters(conditions)


def property_key(name: str) -> str | None:
    """The stored form of a property name (``Uses heuristic`` → ``uses_heuristic``), or None.

    SMW property names are page titles in the Property namespace, so they normalise like page
    names (as ``Annotation.prop`` does for the store); a name with a namespace prefix or with
    characters no title may hold is not a property.
    """
    parsed = page_name(name)
    if not name.strip() or parsed.namespace or not parsed.valid:
        return None
    return Annotation(name, "").prop


def _body(text: str) -> tuple[int, int]:
    """Offsets of the query inside an optional ``{{#ask: … }}``; positions stay in ``text``."""
    opening = _WRAPPER.match(text)
    if opening is None:
        return 0, len(text)
    closed = text.rstrip()
    if not closed.endswith("}}"):
        raise AskError("expected '}}' to close '{{#ask:'", len(closed), text)
    return opening.end(), max(opening.end(), len(closed) - 2)


def _quote(text: str, limit: int = 24) -> str:
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit]}…'"


def _like_pattern(pattern: str) -> str:
    """SMW wildcards to SQL LIKE: ``*`` any run, ``?`` one character; ``_`` and space match
    each other (page names spell them either way), so both become LIKE's one-character ``_``."""
    out = []
    for char in pattern:
        if char == "*":
            out.append("%")
        elif char in "?_ ":
            out.append("_")
        elif char in "%\\":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _bound(text: str) -> float | None:
    """A comparator operand: a number (``,`` separates thousands, as the store reads numbers),
    or a date the page parser reads, as the store's Julian day; None for anything else."""
    if _NUMBER.fullmatch(text.replace(",", "")):
        return float(text.replace(",", ""))
    moment = parse_date(text)
    return None if moment is None else julian_day(moment)


@dataclass(frozen=True, slots=True)
class _PropertyRef:
    key: str
    inverse: bool


class _Parser:
    """Recursive descent over ``text[start:end]``; every error carries an offset into ``text``."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.pos, self.end = text, start, end
        self.size = 0

    def fail(self, position: int, message: str) -> NoReturn:
        raise AskError(message, position, self.text)

    def at(self, token: str) -> bool:
        return self.text.startswith(token, self.pos, self.end)

    def skip_space(self) -> None:
        while self.pos < self.end and self.text[self.pos].isspace():
            self.pos += 1

    def found(self) -> str:
        if self.pos >= self.end:
            return "but the query ends"
        return f"but found {_quote(self.text[self.pos:self.end], 12)}"

    def count(self, position: int) -> None:
        self.size += 1
        if self.size > MAX_SIZE:
            self.fail(position, f"the query has more than {MAX_SIZE} conditions and values")

    def segment(self) -> tuple[str, int]:
        """The text up to the next delimiter, stripped, and where it starts."""
        stop = _STOP.search(self.text, self.pos, self.end)
        stop_at = stop.start() if stop else self.end
        raw = self.text[self.pos:stop_at]
        start = self.pos + len(raw) - len(raw.lstrip())
        self.pos = stop_at
        return raw.strip(), start

    # Conditions

    def disjunction(self, depth: int) -> Condition:
        groups = [self.conjunction(depth)]
        while self.or_keyword():
            groups.append(self.conjunction(depth))
        return groups[0] if len(groups) == 1 else Or(tuple(groups))

    def or_keyword(self) -> bool:
        """SMW separates alternative conditions with ``OR`` (upper case) or ``||``."""
        self.skip_space()
        word = self.at("OR") and not self.text[self.pos + 2:self.pos + 3].isalnum()
        if word or self.at("||"):
            self.pos += 2
            return True
        return False

    def conjunction(self, depth: int) -> Condition:
        items: list[Condition] = []
        while True:
            self.skip_space()
            if self.at("[["):
                items.append(self.condition(depth))
            elif self.at("<q>"):
                items.append(self.group(depth))
            else:
                break
        if not items:
            self.fail(self.pos, f"expected a condition '[[…]]' {self.found()}")
        return items[0] if len(items) == 1 else And(tuple(items))

    def group(self, depth: int) -> Condition:
        """``<q>…</q>``: a subquery as a value, or parentheses around ORed conditions."""
        opened = self.pos
        if depth >= MAX_DEPTH:
            self.fail(opened, f"subqueries nest deeper than {MAX_DEPTH}")
        self.pos += 3
        inner = self.disjunction(depth + 1)
        self.skip_space()
        if not self.at("</q>"):
            opening = _quote(self.text[opened:self.pos], 16)
            self.fail(self.pos, f"expected '</q>' to close {opening} {self.found()}")
        self.pos += 4
        return inner

    def condition(self, depth: int) -> Condition:
        opened = self.pos
        self.count(opened)
        self.pos += 2
        separator = self.text.find("::", self.pos, self.end)
        if separator == -1 or _STOP.search(self.text, self.pos, separator):
            return self.page_condition(opened)
        return self.property_condition(opened, separator, depth)

    def close(self, opening: str) -> None:
        """Consume ``]]`` after a condition's last value."""
        if not self.at("]]"):
            hint = "; use '||' between alternative values" if self.at("|") else ""
            self.fail(self.pos, f"expected ']]' to close {opening} {self.found()}{hint}")
        self.pos += 2

    # Property conditions

    def property_condition(self, opened: int, separator: int, depth: int) -> Condition:
        opening = f"'{self.text[opened:separator + 2][:32]}…'"
        refs = self.property_chain(self.pos, separator)
        if depth + len(refs) - 1 > MAX_DEPTH:
            self.fail(opened, f"property chains and subqueries nest deeper than {MAX_DEPTH}")
        self.pos = separator + 2
        values: list[Value | Subquery] = []
        while True:
            self.skip_space()
            self.count(self.pos)
            if self.at("<q>"):  # below every property of the chain, as in the SQL
                values.append(Subquery(self.group(depth + len(refs))))
                self.skip_space()
            else:
                values.append(self.value(opening, refs[-1].inverse))
            if not self.at("||"):
                break
            self.pos += 2
        self.close(opening)
        return _chain(refs, tuple(values))

    def property_chain(self, start: int, stop: int) -> list[_PropertyRef]:
        """``a.b.c`` is SMW's property chain: ``[[a::<q>[[b::<q>[[c::…]]</q>]]</q>]]``."""
        refs = []
        offset = start
        for part in self.text[start:stop].split("."):
            inverse = part.strip().startswith("-")
            key = property_key(part.strip()[1:] if inverse else part)
            if key is None:
                where = offset + len(part) - len(part.lstrip())
                self.fail(where, f"expected a property name before '::' but found {_quote(part)}")
            refs.append(_PropertyRef(key, inverse))
            offset += len(part) + 1
        return refs

    def value(self, opening: str, inverse: bool) -> Value:
        text, start = self.segment()
        if not text:
            self.fail(start, f"expected a value in {opening} {self.found()}")
        if text == "+":
            return Value("+")
        for prefix, op in _PREFIXES:
            if text.startswith(prefix):
                return Value(op, self.operand(text, prefix, start, inverse))
        for prefix, op in _COMPARATORS:
            if text.startswith(prefix):
                return self.comparison(text, prefix, op, start, inverse)
        if inverse:
            self.page_key(text, start)
        return Value("=", text)

    def operand(self, text: str, prefix: str, start: int, inverse: bool) -> str:
        rest = text[len(prefix):].strip()
        if not rest:
            self.fail(start + len(prefix), f"expected a value after '{prefix}'")
        if inverse and prefix == "!":
            self.page_key(rest, start + len(prefix))
        return rest

    def comparison(self, text: str, prefix: str, op: str, start: int, inverse: bool) -> Value:
        if inverse:
            self.fail(start, f"'{prefix}' compares numbers and dates, "
                             "but the values of an inverse property are pages")
        rest = text[len(prefix):].strip()
        bound = _bound(rest)
        if bound is None:
            where = start + len(text) - len(rest)
            found = f" but found {_quote(rest)}" if rest else ""
            self.fail(where, f"expected a number or a date (2024-01-01, 2024-01-01 10:00) "
                             f"after '{prefix}'{found}")
        return Value(op, rest, bound)

    def page_key(self, text: str, start: int) -> str:
        name = page_name(text)
        if not name.valid:
            self.fail(start, f"expected a page name but found {_quote(text)}")
        return name.key

    # Page, namespace and category conditions

    def page_condition(self, opened: int) -> Condition:
        items: list[Condition] = []
        in_category = False
        while True:
            text, start = self.segment()
            if not items:
                in_category = not text.startswith(":") and page_name(text).namespace == "Category"
            items.append(self.category(text, start) if in_category else self.page(text, start))
            if not self.at("||"):
                break
            self.pos += 2
            self.count(self.pos)
        self.close(_quote(self.text[opened:self.pos].rstrip(), 20))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def category(self, text: str, start: int) -> CategoryCondition:
        """In ``[[Category:A||B]]`` the later alternatives are categories too, as in SMW."""
        name = page_name(text, "Category")
        if name.namespace != "Category" or not name.valid:
            self.fail(start, f"expected a category name but found {_quote(text)}")
        return CategoryCondition(None if name.title == "+" else name.title.replace(" ", "_"))

    def page(self, text: str, start: int) -> Condition:
        body = text[1:].strip() if text.startswith(":") else text
        if body.startswith("~"):
            pattern = body[1:].strip()
            if not pattern:
                self.fail(start + 1, "expected a page name pattern after '~'")
            return PageLike(_like_pattern(pattern))
        namespace = re.fullmatch(r"(.*):\s*\+", text, re.DOTALL)
        if namespace is not None:
            return self.namespace(namespace.group(1), start)
        return PageCondition(self.page_key(body, start))

    def namespace(self, prefix: str, start: int) -> NamespaceCondition:
        prefix = prefix.strip().lstrip(":").strip()
        if not prefix:
            return NamespaceCondition("")
        known = page_name(f"{prefix}:X").namespace
        if not known:
            self.fail(start, f"expected a namespace before ':+' but found {_quote(prefix)}")
        return NamespaceCondition(known)

    # Parameters

    def parameters(self, conditions: Condition) -> Query:
        options = _Options()
        offset = self.pos + 1
        parts = self.text[self.pos + 1:self.end].split("|") if self.pos < self.end else []
        for part in parts:
            start = offset + len(part) - len(part.lstrip())
            offset += len(part) + 1
            if part.strip():
                self.parameter(options, part.strip(), start)
        return Query(conditions, options.printouts, options.limit, options.offset,
                     self.sort(options))

    def parameter(self, options: _Options, text: str, start: int) -> None:
        if text.startswith("?"):
            self.printout(options, text, start)
            return
        name, equals, value = text.partition("=")
        name = name.strip().lower()
        if not equals:
            self.fail(start, "expected a parameter 'name=value' or a printout '?property' "
                             f"but found {_quote(text)}")
        if name not in PARAMETERS:
            self.fail(start, f"unknown parameter {_quote(name)}; expected a printout "
                             f"'?property' or one of {', '.join(PARAMETERS)}")
        at = start + len(text) - len(value.lstrip())
        value = value.strip()
        if name in ("limit", "offset"):
            setattr(options, name, self.whole(name, value, at))
        elif name == "sort":
            options.sort = self.sort_keys(value, at)
        elif name == "order":
            options.order, options.order_at = self.orders(value, at), at

    def whole(self, name: str, value: str, at: int) -> int:
        highest = MAX_LIMIT if name == "limit" else MAX_OFFSET
        if not _WHOLE.fullmatch(value):
            self.fail(at, f"expected a whole number for '{name}' but found {_quote(value)}")
        if int(value) > highest:
            self.fail(at, f"'{name}' may be at most {highest} but is {_quote(value)}")
        return int(value)

    def sort_keys(self, value: str, at: int) -> list[str]:
        keys = []
        for item in value.split(","):
            name = item.strip()
            key = property_key(name) if name else ""
            if key is None or name.startswith("-") or key == "category":
                self.fail(at + len(item) - len(item.lstrip()),
                          f"expected property names in 'sort' but found {_quote(name)}; "
                          "inverse properties and Category cannot sort")
            keys.append(key)
            at += len(item) + 1
        return keys

    def orders(self, value: str, at: int) -> list[bool]:
        directions = []
        for item in value.split(","):
            direction = _ORDERS.get(item.strip().lower())
            if direction is None:
                self.fail(at + len(item) - len(item.lstrip()), "expected 'asc' or 'desc' in 'order' "
                              f"but found {_quote(item.strip())}")
            directions.append(direction)
            at += len(item) + 1
        return directions

    def sort(self, options: _Options) -> list[tuple[str, bool]]:
        """Pair sort keys with directions; an ``order`` without ``sort`` orders by page name."""
        keys = options.sort if options.sort is not None else ([""] if options.order else [])
        order = options.order or []
        if len(order) > len(keys):
            self.fail(options.order_at, f"'order' gives {len(order)} directions "
                                        f"but 'sort' names {len(keys)} keys")
        return [(key, order[i] if i < len(order) else False) for i, key in enumerate(keys)]

    def printout(self, options: _Options, text: str, start: int) -> None:
        name, equals, label = text[1:].partition("=")
        name = name.strip()
        inverse = name.startswith("-")
        key = property_key(name[1:] if inverse else name)
        if key is None:
            self.fail(start + 1, f"expected a property name after '?' but found {_quote(name)}")
        kind = "inverse" if inverse else "category" if key == "category" else "property"
        label = label.strip() if equals and label.strip() else name
        if label == "page" or any(p.label == label for p in options.printouts):
            self.fail(start, f"printout label {_quote(label)} is already taken; "
                             "give it another with '?property=Label'")
        options.printouts.append(Printout(label, key, kind))


@dataclass
class _Options:
    printouts: list[Printout] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0
    sort: list[str] | None = None
    order: list[bool] | None = None
    order_at: int = 0


def _chain(refs: list[_PropertyRef], values: tuple[Value | Subquery, ...]) -> PropertyCondition:
    condition = PropertyCondition(refs[-1].key, refs[-1].inverse, values)
    for ref in reversed(refs[:-1]):
        condition = PropertyCondition(ref.key, ref.inverse, (Subquery(condition),))
    return condition


# ── Compiling ────────────────────────────────────────────────────────────────────────────────


def compile_ask(query: Query) -> tuple[str, list[Any]]:
    """One SQL statement selecting ``pages.id, pages.key`` of the results, sorted and limited.

    Results are pages that exist, plus pages a page condition names outright (so that
    ``[[Principle:Missing]]`` finds a page only linked to). Placeholders are numbered (``?3``)
    so that pieces can be built in any order and a parameter used twice is bound once.
    """
    compiler = _Compiler()
    where = compiler.where(query.conditions, "p.id")
    named = sorted(set(_named_keys(query.conditions)))
    exists = (f"(p.exists_ = 1 OR p.key IN ({compiler.bind(*named)}))" if named
              else "p.exists_ = 1")
    order = compiler.order_by(query.sort)
    limit = compiler.bind(-1 if query.limit is None else query.limit)
    offset = compiler.bind(query.offset)
    sql = (f"SELECT p.id, p.key FROM pages AS p WHERE {where} AND {exists} "
           f"ORDER BY {order} LIMIT {limit} OFFSET {offset}")
    return sql, compiler.params


def _named_keys(node: Condition) -> Iterable[str]:
    """Keys named by page conditions outside subqueries: results even when the page is missing."""
    if isinstance(node, PageCondition):
        yield node.key
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from _named_keys(item)


#: How selective a condition usually is (lower: fewer rows); the lowest drives a conjunction.
#: Comparators and patterns rank after namespaces: no index serves them (props has none on
#: number, and LIKE is case-insensitive), so they read every row of their property.
_VALUE_RANKS = {"=": 1, "<": 5, ">": 5, "<=": 5, ">=": 5, "~": 5, "+": 6, "!": 7, "!~": 7}


def _rank(node: Condition) -> int:
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


def _equal_keys(text: str) -> list[str]:
    """Spellings of a value that SMW treats as one page: as written, with ``_`` and with spaces."""
    name = page_name(text)
    return list(dict.fromkeys([text, name.key, name.full]))


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
            return f"SELECT {p}.id FROM pages AS {p} WHERE {p}.key = {self.bind(node.key)}"
        if isinstance(node, PageLike):
            return (f"SELECT {p}.id FROM pages AS {p} "
                    f"WHERE {p}.key LIKE {self.bind(node.pattern)} ESCAPE '\\'")
        if isinstance(node, NamespaceCondition):
            return (f"SELECT {p}.id FROM pages AS {p} "
                    f"WHERE {p}.namespace = {self.bind(node.namespace)}")
        assert isinstance(node, CategoryCondition)
        if node.name is None:
            return f"SELECT {p}.page FROM categories AS {p}"
        return f"SELECT {p}.page FROM categories AS {p} WHERE {p}.name = {self.bind(node.name)}"

    def test(self, node: Condition, column: str) -> str:
        """A boolean SQL expression: the page ``column`` matches ``node`` (used per candidate)."""
        if isinstance(node, (And, Or)):
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(self.test(item, column) for item in node.items) + ")"
        if isinstance(node, PropertyCondition):
            return self.property_test(node, column)
        if isinstance(node, CategoryCondition):
            # categories has no index on page: one uncorrelated set beats a scan per candidate.
            return f"{column} IN ({self.page_source(node)})"
        if isinstance(node, PageCondition):
            return f"{column} = ({self.page_id(node.key)})"
        p = self.alias("p")
        if isinstance(node, PageLike):
            return (f"EXISTS (SELECT 1 FROM pages AS {p} WHERE {p}.id = {column} "
                    f"AND {p}.key LIKE {self.bind(node.pattern)} ESCAPE '\\')")
        assert isinstance(node, NamespaceCondition)
        return (f"EXISTS (SELECT 1 FROM pages AS {p} WHERE {p}.id = {column} "
                f"AND {p}.namespace = {self.bind(node.namespace)})")

    # Property conditions

    def property_test(self, node: PropertyCondition, column: str) -> str:
        a = self.alias("a")
        anchor = f"{a}.target = {column}" if node.inverse else f"{a}.page = {column}"
        predicate = self.inverse_predicate if node.inverse else self.forward_predicate
        values = " OR ".join(predicate(value, a) for value in node.values)
        if len(node.values) > 1:  # each predicate binds tighter than AND: parentheses only here
            values = f"({values})"
        return (f"EXISTS (SELECT 1 FROM props AS {a} WHERE {anchor} "
                f"AND {a}.property = {self.bind(node.property)} AND {values})")

    def forward_source(self, prop: str, value: Value | Subquery) -> str:
        a = self.alias("a")
        select = f"SELECT {a}.page FROM props AS {a} WHERE {a}.property = {self.bind(prop)}"
        if isinstance(value, Subquery):
            return f"{select} AND {a}.target IN ({self.source(value.conditions)})"
        if value.op != "=":
            return f"{select} AND {self.forward_predicate(value, a)}"
        keys = _equal_keys(value.text)
        t = self.alias("a")
        # Two selects, so that props_property_value and props_target each drive one of them.
        return (f"{select} AND {a}.value IN ({self.bind(*keys)}) UNION ALL "
                f"SELECT {t}.page FROM props AS {t} WHERE {t}.target = "
                f"({self.page_id(page_name(value.text).key)}) AND {t}.property = {self.bind(prop)}")

    def forward_predicate(self, value: Value | Subquery, a: str) -> str:
        if isinstance(value, Subquery):  # a NULL target fails the test as no page would
            return self.test(value.conditions, f"{a}.target")
        if value.op == "+":
            return "1"
        if value.op in ("=", "!"):
            keys = _equal_keys(value.text)
            target = self.page_id(page_name(value.text).key)
            # COALESCE keeps the test two-valued when the named page does not exist, so "!" is
            # its exact complement.
            equal = f"({a}.value IN ({self.bind(*keys)}) OR COALESCE({a}.target = ({target}), 0))"
            return equal if value.op == "=" else f"NOT {equal}"
        if value.op in ("~", "!~"):
            like = "NOT LIKE" if value.op == "!~" else "LIKE"
            return f"{a}.value {like} {self.bind(_like_pattern(value.text))} ESCAPE '\\'"
        return f"{a}.number {value.op} {self.bind(value.bound)}"

    def inverse_source(self, prop: str, value: Value | Subquery) -> str:
        """Pages that are the value of ``prop`` on pages matching ``value``."""
        a = self.alias("a")
        select = (f"SELECT {a}.target FROM props AS {a} WHERE {a}.property = {self.bind(prop)} "
                  f"AND {a}.target IS NOT NULL")
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
        like = "NOT EXISTS" if value.op == "!~" else "EXISTS"
        return (f"{like} (SELECT 1 FROM pages AS {s} WHERE {s}.id = {a}.page "
                f"AND {s}.key LIKE {self.bind(_like_pattern(value.text))} ESCAPE '\\')")

    def page_id(self, key: str) -> str:
        p = self.alias("p")
        return f"SELECT {p}.id FROM pages AS {p} WHERE {p}.key = {self.bind(key)}"

    # Sorting

    def order_by(self, sort: list[tuple[str, bool]]) -> str:
        """Property sort keys take the page's least value ascending and greatest descending;
        pages without the property come last (SMW would drop them). Ties go by page name."""
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
                         f"{direction} NULLS LAST")
        if ("", False) not in sort and ("", True) not in sort:
            terms.append("p.key ASC")
        return ", ".join(terms)


# ── Running ──────────────────────────────────────────────────────────────────────────────────

_PRINTOUT_SQL = {
    "property": "SELECT a.page, COALESCE(t.key, a.value) FROM props AS a "
                "LEFT JOIN pages AS t ON t.id = a.target "
                "WHERE a.page IN (SELECT value FROM json_each(?1)) AND a.property = ?2 "
                "ORDER BY a.page, a.line, a.rowid",
    "inverse": "SELECT a.target, s.key FROM props AS a JOIN pages AS s ON s.id = a.page "
               "WHERE a.target IN (SELECT value FROM json_each(?1)) AND a.property = ?2 "
               "ORDER BY a.target, s.key",
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
    ``total`` results in all, of which ``rows`` start at ``offset``."""

    rows: list[dict[str, Any]]
    offset: int
    total: int

    @property
    def further(self) -> bool:
        """Results remain past these rows (SMW's "further results" link)."""
        return self.offset + len(self.rows) < self.total


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
    return AskResult(results, query.offset, total)


def _fetch(conn: sqlite3.Connection, statement: tuple[str, list[Any]],
           text: str) -> list[Any]:
    try:
        return conn.execute(*statement).fetchall()
    except sqlite3.OperationalError as error:  # a safety net: MAX_DEPTH and MAX_SIZE keep to
        if not _TOO_COMPLEX.search(str(error)):  # SQLite's limits (tests/test_ask.py)
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
