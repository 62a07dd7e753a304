"""Parse the text of an ``#ask`` into a :class:`~wikiflow.graph.ask.query.Query`.

``parse_ask`` reads the conditions (``[[…]]``, ``<q>…</q>``, ``OR``/``||``, property chains)
and the parameters after them (printouts, ``limit``, ``offset``, ``sort``, ``order``); anything
else raises an :class:`AskError` with the offset of the problem. The limits below keep a query
small enough that its SQL stays within SQLite's, so the compiler never has to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

from ...page.model import Annotation
from ...page.names import page_name
from ...page.parse import parse_date
from ..records import julian_day
from .query import (
    And,
    AskError,
    CategoryCondition,
    Condition,
    NamespaceCondition,
    Or,
    PageCondition,
    PageLike,
    Printout,
    PropertyCondition,
    Query,
    Subquery,
    Value,
    glob_pattern,
)


#: SMW's $smwgQMaxDepth and $smwgQMaxSize play the same part: a query stays a query, and the SQL
#: stays within SQLite's limits on expression depth and compound SELECTs.
MAX_DEPTH = 8
MAX_SIZE = 64
#: SMW's $smwgQMaxLimit.
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000
#: The parameters understood besides printouts; ``mainlabel`` and ``format`` shape SMW's HTML
#: output, which has no counterpart in a list of rows: they are accepted, and the query's
#: ``warnings`` say that they change nothing.
PARAMETERS = ("limit", "offset", "sort", "order", "mainlabel", "format")
_DISPLAY = {
    "mainlabel": "'mainlabel' labels the page column of SMW's table; here every row names its "
                 "page 'page'",
    "format": "'format' chooses how SMW draws the results; here they are rows, in the "
              "command's --format",
}

_WRAPPER = re.compile(r"\s*\{\{\s*#ask\s*:", re.IGNORECASE)
#: Where a value, page name or property name ends.
_STOP = re.compile(r"\|\||\]\]|\[\[|</?q>|\|")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")
#: SMW's comparators; ``<`` and ``>`` include the bound, ``<<`` and ``>>`` do not.
_COMPARATORS = (("<<", "<"), (">>", ">"), ("≤", "<="), ("≥", ">="), ("<", "<="), (">", ">="))
_PREFIXES = (("!~", "!~"), ("~", "~"), ("!", "!"))
#: ``Help:~A*`` and ``Help:!~A*``: a pattern within a namespace, as SMW reads them.
_PREFIXED_PATTERN = re.compile(r"(?P<namespace>[^:~!]+):\s*(?P<negated>!)?~(?P<pattern>.*)",
                               re.DOTALL)
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

    def and_keyword(self) -> bool:
        """SMW allows ``AND`` (upper case) between conditions, which are joined by AND anyway."""
        self.skip_space()
        if self.at("AND") and not self.text[self.pos + 3:self.pos + 4].isalnum():
            self.pos += 3
            return True
        return False

    def conjunction(self, depth: int) -> Condition:
        items: list[Condition] = []
        while True:
            if items and self.and_keyword():
                self.skip_space()
                if not (self.at("[[") or self.at("<q>")):
                    self.fail(self.pos, f"expected a condition '[[…]]' after 'AND' {self.found()}")
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
        negated = name.title.startswith("!")
        title = page_name(name.title[1:]).title if negated else name.title
        if not title:
            self.fail(start, f"expected a category name after '!' but found {_quote(text)}")
        return CategoryCondition(None if title == "+" else title.replace(" ", "_"), negated)

    def page(self, text: str, start: int) -> Condition:
        """A page, ``~pattern`` of pages, or ``Namespace:+``; ``!`` before a page or a pattern
        negates it (``[[!Help:Main]]``, ``[[!~Help:A*]]``), as in SMW, which also reads a
        pattern after a namespace (``[[Help:~A*]]``, ``[[Help:!~A*]]``)."""
        body = text[1:].strip() if text.startswith(":") else text
        negated = body.startswith("!")
        if negated:
            body = body[1:].strip()
        prefixed = _PREFIXED_PATTERN.fullmatch(body)
        if prefixed and not negated and _known_namespace(prefixed["namespace"]):
            negated = bool(prefixed["negated"])
            body = f"~{prefixed['namespace']}:{prefixed['pattern']}"
        if body.startswith("~"):
            return self.page_pattern(body[1:].strip(), negated, start)
        namespace = re.fullmatch(r"(.*):\s*\+", text, re.DOTALL)
        if namespace is not None and not negated:
            return self.namespace(namespace.group(1), start)
        return PageCondition(self.page_key(body, start), negated)

    def page_pattern(self, pattern: str, negated: bool, start: int) -> PageLike:
        """``~Help:A*``: as in SMW, a pattern looks within one namespace, the main one unless
        it starts with a known prefix (matched like page names: ``help:`` is ``Help:``)."""
        prefix, colon, title = pattern.partition(":")
        namespace = _known_namespace(prefix) if colon else ""
        if not (title if namespace else pattern).strip():
            self.fail(start + 1, "expected a page name pattern after '~'")
        glob = glob_pattern(title.strip() if namespace else pattern, title=True)
        return PageLike(namespace, f"{namespace}:{glob}" if namespace else glob, negated)

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
                     self.sort(options), options.warnings)

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
        else:
            options.warnings.append(f"{_DISPLAY[name]} (ignored: {_quote(text)})")

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
    warnings: list[str] = field(default_factory=list)


def _known_namespace(prefix: str) -> str:
    """The canonical name of the namespace ``prefix`` names, or '' when it names none."""
    return page_name(f"{prefix}:X").namespace if prefix.strip() else ""


def _chain(refs: list[_PropertyRef], values: tuple[Value | Subquery, ...]) -> PropertyCondition:
    condition = PropertyCondition(refs[-1].key, refs[-1].inverse, values)
    for ref in reversed(refs[:-1]):
        condition = PropertyCondition(ref.key, ref.inverse, (Subquery(condition),))
    return condition
