"""A parsed page as a node of the knowledge graph: its fields, annotations and typed edges.

This is the one place that decides what a page contributes to the graph, so the SQLite store
and any other backend read the same facts. Records are plain tuples and strings, cheap to send
from worker processes.

* Workflow pages: ``step`` edges from the Execution Steps (number, name, order kept; the
  Related Pages duplicates are not counted twice), ``uses_heuristic`` edges from Tips and Tricks.
* Every page: each SMW annotation is a property value (as SMW stores it); each annotation whose
  value names a page in a known namespace is also an edge; plain ``[[Page]]`` links to pages in
  a known namespace are ``link`` edges; ``[[Category:X]]`` links are categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .model import Page
from .names import PageName, page_name

#: Julian day of the Unix epoch: dates are stored as Julian days so that #ask can compare them.
_UNIX_EPOCH_JD = 2440587.5


@dataclass(slots=True)
class EdgeRecord:
    target: str  # page key
    property: str
    position: int
    line: int
    column: int
    step_number: int | None = None
    step_name: str | None = None


@dataclass(slots=True)
class PageRecord:
    key: str
    namespace: str
    title: str
    path: str | None
    hash: str | None
    mtime_ns: int | None = None
    size: int | None = None
    overview: str = ""
    description: str = ""
    usage: str = ""
    last_updated: str | None = None
    last_updated_raw: str | None = None
    props: list[tuple[str, str, str | None, float | None, int]] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    sources: list[tuple[str, str, str]] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    steps_text: str = ""


def julian_day(moment: datetime) -> float:
    return moment.timestamp() / 86400 + _UNIX_EPOCH_JD


def _number(value: str) -> float | None:
    """A numeric value for #ask comparisons; most values are names, tested cheaply first."""
    if not value or value[0] not in "0123456789-+.":
        return None
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return None


def _target_key(value: str) -> str | None:
    """The page a value names, when it carries a known namespace prefix."""
    name = page_name(value)
    return name.key if name.namespace and name.valid else None


def page_record(name: PageName, page: Page, *, path: str | None = None, digest: str | None = None,
                mtime_ns: int | None = None, size: int | None = None) -> PageRecord:
    record = PageRecord(
        key=name.key, namespace=name.namespace, title=name.title, path=path, hash=digest,
        mtime_ns=mtime_ns, size=size, overview=page.overview or _first_paragraph(page),
        description=page.description, usage=page.usage,
        last_updated=page.last_updated.isoformat() if page.last_updated else None,
        last_updated_raw=page.last_updated_raw,
        sources=[(s.type, s.title, s.url) for s in page.sources],
        domains=[d.name for d in page.domains],
        steps_text="\n".join(f"{s.name}\n{s.body}" for s in page.steps),
    )
    _add_props(record, page)
    _add_edges(record, page)
    return record


def _first_paragraph(page: Page) -> str:
    """Pages of other types often have no Overview: their first paragraph stands in."""
    for text in (page.extras.get("after_metadata"), page.description,
                 page.sections[0].body if page.sections else None):
        if text:
            return text.split("\n\n", 1)[0]
    return ""


def _add_props(record: PageRecord, page: Page) -> None:
    seen: set[tuple[str, str]] = set()
    for annotation in page.annotations:
        prop, value = annotation.prop, annotation.value
        if (prop, value) in seen:
            continue
        seen.add((prop, value))
        number = julian_day(page.last_updated) if prop == "last_updated" and page.last_updated \
            and value == page.last_updated_raw else _number(value)
        line = annotation.span.line if annotation.span else 0
        record.props.append((prop, value, _target_key(value), number, line))


def _add_edges(record: PageRecord, page: Page) -> None:
    edges = record.edges
    for step in page.steps:
        key = _target_key(step.target) if step.target else None
        if key and step.link_span is not None:
            edges.append(EdgeRecord(key, "step", len(edges), step.link_span.line,
                                    step.link_span.column, step.number, step.name))
    for heuristic in page.heuristics:
        key = _target_key(heuristic.target)
        if key and heuristic.span is not None:
            edges.append(EdgeRecord(key, "uses_heuristic", len(edges), heuristic.span.line,
                                    heuristic.span.column))
    structural = {("step", e.target) for e in edges} | {("uses_heuristic", e.target)
                                                       for e in edges}
    for annotation in page.annotations:
        key = _target_key(annotation.value)
        if key and (annotation.prop, key) not in structural and annotation.span is not None:
            structural.add((annotation.prop, key))
            edges.append(EdgeRecord(key, annotation.prop, len(edges), annotation.span.line,
                                    annotation.span.column))
    for link in page.links:
        name = page_name(link.target)
        if name.namespace == "Category":
            record.categories.append(name.title.replace(" ", "_"))
        elif name.namespace and name.valid and link.span is not None \
                and ("link", name.key) not in structural:
            structural.add(("link", name.key))
            edges.append(EdgeRecord(name.key, "link", len(edges), link.span.line,
                                    link.span.column))

