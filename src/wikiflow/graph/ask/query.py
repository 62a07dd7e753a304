"""The typed form of an ``#ask`` query: what the parser produces and the compiler consumes.

A :class:`Query` holds a tree of conditions (``And``/``Or`` over property, page, namespace and
category conditions, with ``Subquery`` values), the printouts and the sort, limit and offset.
Both sides share :class:`AskError` (positioned in the query's text) and :func:`glob_pattern`
(SMW's wildcards as SQLite GLOB), so neither has to import the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import WikiflowError
from ...page.spans import LineIndex


class AskError(WikiflowError):
    """A query that does not parse; ``position`` is the 0-based offset of the problem in it."""

    def __init__(self, message: str, position: int, text: str) -> None:
        line, column = LineIndex(text).position(position)
        super().__init__(f"query:{line}:{column}: {message}")
        self.message = message
        self.position = position



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
    """``[[Principle:Quantization]]``: that page, by its key; ``[[!Principle:Quantization]]``
    (``negated``): every page but that one."""

    key: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class PageLike:
    """``[[~Principle:Q*]]``: pages of ``namespace`` ('' for the main one, as for a pattern
    without a known prefix) whose key matches a GLOB pattern; ``[[!~…]]`` (``negated``): the
    pages of that namespace whose key does not."""

    namespace: str
    pattern: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class NamespaceCondition:
    """``[[Workflow:+]]``; ``namespace`` is '' for the main namespace (``[[:+]]``)."""

    namespace: str


@dataclass(frozen=True, slots=True)
class CategoryCondition:
    """``[[Category:X]]`` by the stored category name; ``None`` for ``[[Category:+]]``;
    ``[[Category:!X]]`` (``negated``): the pages not in it."""

    name: str | None
    negated: bool = False


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
    """A parsed ``#ask``; ``sort`` pairs are (normalised property, '' for the page; descending).

    ``warnings`` name the parameters that were read but change nothing here (``mainlabel``,
    ``format``), so that a caller can say so instead of ignoring them silently.
    """

    conditions: Condition
    printouts: list[Printout] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0
    sort: list[tuple[str, bool]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def glob_pattern(pattern: str, *, title: bool) -> str:
    """SMW's wildcards as SQLite GLOB, which is case-sensitive as SMW's ``~`` is by default
    (its tests q-0903 and q-0605): ``*`` any run and ``?`` one character in both; ``[`` is
    literal in SMW, so it is escaped as a class of one. ``title`` patterns are matched against
    page keys, which spell a space ``_``."""
    escaped = pattern.replace("[", "[[]")
    return escaped.replace(" ", "_") if title else escaped
