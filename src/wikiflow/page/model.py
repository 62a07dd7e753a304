"""The typed Workflow page: what the guide defines, with source spans and reading problems.

Plain slotted dataclasses rather than pydantic models: a page is built tens of thousands of times
per second by the parser (see ``bench/``); the validated structured form lives in
``structured.py``. Spans never take part in equality, so ``parse(render(m)) == m`` compares
content only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from .names import page_name
from .spans import Span

PRINCIPLE = "Principle"
HEURISTIC = "Heuristic"


def _span() -> Any:
    return field(default=None, compare=False, repr=False)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(slots=True)
class Problem:
    """Something the parser could not read as the guide intends, kept as a value with its place.

    ``code`` is a stable kebab-case kind (``unclosed-link``, ``mermaid-syntax``...) that the
    linter maps to its rules.
    """

    code: str
    message: str
    span: Span | None = _span()
    severity: Severity = Severity.ERROR


@dataclass(slots=True)
class Annotation:
    """A Semantic MediaWiki in-text annotation ``[[property::value|caption]]``.

    ``value`` is the part before the first ``|`` as SMW stores it; ``parts`` keeps every
    ``|``-separated part (the guide's ``source`` record needs all three). ``property_span``
    is the property as written, blanks included, between ``[[`` and ``::``: fixes that respell
    it edit there.
    """

    property: str
    value: str
    caption: str | None = None
    parts: tuple[str, ...] = ()
    span: Span | None = _span()
    property_span: Span | None = _span()

    @property
    def prop(self) -> str:
        """The property name as SMW tells properties apart: its first letter's case and ``_``
        versus space do not matter, the case of the other letters does (``Uses heuristic`` →
        ``uses_heuristic``, ``Has Text`` → ``has_Text``)."""
        return _normal_prop(self.property)


@lru_cache(maxsize=4096)
def _normal_prop(name: str) -> str:
    """``Annotation.prop`` of a property written ``name``, computed once per spelling: the
    parser and the graph ask it of every annotation (``bench/bench_parse.py``)."""
    title = page_name(name).title.replace(" ", "_")
    return title[:1].lower() + title[1:]


def _without_namespace(target: str, namespace: str) -> str:
    """``Principle:X`` → ``X`` as written; a target in another namespace is returned whole."""
    prefix, sep, rest = target.partition(":")
    if sep and page_name(prefix + ":x").namespace == namespace:
        return rest
    return target



@dataclass(slots=True)
class Source:
    """One knowledge source, ``[[source::Type|Title|URL]]``."""

    type: str
    title: str
    url: str
    span: Span | None = _span()


@dataclass(slots=True)
class Domain:
    name: str
    span: Span | None = _span()


@dataclass(slots=True)
class Step:
    """One ``=== Step N: Name ===`` section.

    ``target`` is the ``[[step::…]]`` value as written (``Principle:Data_Formatting``);
    ``body`` is the step's text after that link when the link opens the step, else the whole
    text (then ``link_first`` is false and the link stays where the writer put it).
    """

    number: int | None
    name: str
    target: str | None
    body: str = ""
    link_first: bool = True
    span: Span | None = _span()
    heading_span: Span | None = _span()
    link_span: Span | None = _span()

    @property
    def principle(self) -> str | None:
        return None if self.target is None else _without_namespace(self.target, PRINCIPLE)


@dataclass(slots=True)
class RelatedStep:
    """``* [[step::Principle:X]] - Step N`` under Related Pages; ``note`` keeps any other tail."""

    target: str
    step: int | None = None
    note: str = ""
    span: Span | None = _span()

    @property
    def principle(self) -> str:
        return _without_namespace(self.target, PRINCIPLE)


@dataclass(slots=True)
class Heuristic:
    """``* [[uses_heuristic::Heuristic:Y]]`` under Tips and Tricks."""

    target: str
    note: str = ""
    span: Span | None = _span()

    @property
    def name(self) -> str:
        return _without_namespace(self.target, HEURISTIC)


@dataclass(slots=True)
class DiagramNode:
    id: str
    label: str | None = None
    shape: str = "default"
    span: Span | None = _span()


@dataclass(slots=True)
class DiagramEdge:
    source: str
    target: str
    label: str | None = None
    arrow: str = "-->"
    span: Span | None = _span()


@dataclass(slots=True)
class Diagram:
    """A Mermaid flowchart: the raw text (what is rendered back) and what it means.

    ``subgraphs`` holds each subgraph's title as shown (its id when it has no title), in order.
    """

    source: str
    kind: str = "graph"
    direction: str | None = "TD"
    nodes: list[DiagramNode] = field(default_factory=list)
    edges: list[DiagramEdge] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list, compare=False)
    span: Span | None = _span()
    subgraphs: list[str] = field(default_factory=list)

    def node(self, node_id: str) -> DiagramNode | None:
        for node in self.nodes:
            if node.id == node_id:
                return node
        return None


@dataclass(slots=True)
class MetadataRow:
    """A row of the metadata table the guide does not define (kept verbatim)."""

    header: str
    value: str
    span: Span | None = _span()


@dataclass(slots=True)
class Section:
    """A section the guide does not define, kept as written after the block named ``after``."""

    title: str
    level: int
    body: str
    after: str
    span: Span | None = _span()


@dataclass(slots=True)
class Link:
    """A ``[[target|caption]]`` that is not an annotation (kept for checks and the graph).

    ``target_span`` is the target as written, blanks included, between ``[[`` and ``|`` or
    ``]]``.
    """

    target: str
    caption: str | None = None
    span: Span | None = _span()
    target_span: Span | None = _span()


@dataclass(slots=True)
class Comment:
    """An HTML comment; ``text`` is what is between ``<!--`` and ``-->``."""

    text: str
    span: Span | None = _span()


@dataclass(slots=True)
class Heading:
    """Every heading as read: ``key`` is the guide block it opens (``step`` for a step), or None."""

    level: int
    title: str
    key: str | None
    span: Span | None = _span()


@dataclass(slots=True)
class Markup:
    """Markdown MediaWiki does not understand: ``title`` (a ``# …`` first line), ``fence``,
    ``bold`` or ``link``."""

    kind: str
    span: Span | None = _span()


#: Blocks of the guide in rendering order; unknown sections and leftovers anchor to these keys.
BLOCKS = (
    "preamble", "overview", "description", "usage", "execution_steps",
    "execution_diagram", "related_pages", "related_steps", "tips",
)


@dataclass(slots=True)
class Page:
    """A Workflow page. See ``docs`` for the field reference; every list item has a ``span``.

    ``extras`` maps a block key (``BLOCKS``, or ``step:N`` for the N-th step by position) to
    text found in that block that the model does not represent, so rendering never drops it.
    ``spans`` holds the span of each block and scalar field by key. ``annotations``, ``links``,
    ``comments``, ``headings``, ``markdown`` and ``table_attributes`` describe the page as
    written (for checks and the graph) and take no part in equality.
    """

    title: str | None = None
    sources: list[Source] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    last_updated: datetime | None = None
    last_updated_raw: str | None = None
    overview: str = ""
    description: str = ""
    usage: str = ""
    steps: list[Step] = field(default_factory=list)
    diagram: Diagram | None = None
    related_steps: list[RelatedStep] = field(default_factory=list)
    heuristics: list[Heuristic] = field(default_factory=list)
    metadata_rows: list[MetadataRow] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list, compare=False)
    links: list[Link] = field(default_factory=list, compare=False)
    comments: list[Comment] = field(default_factory=list, compare=False)
    headings: list[Heading] = field(default_factory=list, compare=False)
    markdown: list[Markup] = field(default_factory=list, compare=False)
    table_attributes: str | None = field(default=None, compare=False)
    problems: list[Problem] = field(default_factory=list, compare=False)
    spans: dict[str, Span] = field(default_factory=dict, compare=False, repr=False)
    newline: str = field(default="\n", compare=False)


def to_data(value: Any, *, spans: bool = True) -> Any:
    """The model as JSON-ready data, keys named as the fields (and derived names) above."""
    if isinstance(value, Span):
        return value.to_dict() if spans else None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_data(item, spans=spans) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item, spans=spans) for key, item in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        data = {}
        for f in fields(value):
            if not spans and (f.name == "spans" or f.name.endswith("span")):
                continue
            data[f.name] = to_data(getattr(value, f.name), spans=spans)
        for derived in ("principle", "name", "prop"):
            if derived not in data and isinstance(getattr(type(value), derived, None), property):
                data[derived] = getattr(value, derived)
        return data
    return value
