"""A parsed page as a node of the knowledge graph: its fields, annotations and typed edges.

This is the one place that decides what a page contributes to the graph, so the SQLite store
and any other backend read the same facts. Records are plain tuples and strings, cheap to send
from worker processes.

* Workflow pages: a ``step`` edge for every step of the Execution Steps (number, name, order
  kept; the Related Pages duplicates are not counted twice); a step without a principle link is
  still a step, with no target. ``uses_heuristic`` edges from Tips and Tricks.
* Every page: each SMW annotation is a property value, stored as SMW stores it for the
  property's type (:data:`PROPERTY_TYPES`): a Page value is a title (``fine tuning`` is the page
  ``Fine_tuning``, in the main namespace unless it names another), a Text or Date value is kept
  as written. Each annotation whose value names a page in a known namespace is also an edge;
  plain ``[[Page]]`` links to pages in a known namespace are ``link`` edges; ``[[Category:X]]``
  links are categories.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from ..page.model import Page
from ..page.names import PageName, namespaced_key, page_name

#: The types the guide's ``Property:`` pages declare (``wikiflow smw-setup`` writes them); any
#: other property is of SMW's default type, Page.
PROPERTY_TYPES: dict[str, str] = {
    "step": "Page", "uses_heuristic": "Page", "last_updated": "Date", "domain": "Page",
    "source": "Text",
}

#: Julian day of the Unix epoch: dates are stored as Julian days so that #ask can compare them.
_UNIX_EPOCH_JD = 2440587.5

#: (property, value as SMW stores it, number or None, line): a props row without its page.
PropRow = tuple[str, str, float | None, int]
#: (target key, property, step number, step name, position, line, column): an edges row
#: without its source, the target still a key (the store turns keys into node ids); None for
#: a step whose principle is missing.
EdgeRow = tuple[str | None, str, int | None, str | None, int, int, int]


class PageRecord(NamedTuple):
    """What one page contributes to the graph, as rows ready for the store.

    A named tuple of plain values rather than a dataclass: a record crosses from a worker
    process for every page of a large wiki, and tuples pickle several times faster.
    """

    key: str
    namespace: str
    title: str
    path: str | None
    hash: str | None
    mtime_ns: int | None
    size: int | None
    overview: str
    description: str
    usage: str
    last_updated: str | None
    last_updated_raw: str | None
    props: list[PropRow]
    edges: list[EdgeRow]
    sources: list[tuple[str, str, str]]
    domains: list[str]
    categories: list[str]
    steps_text: str


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


#: Values each cache below holds: the principles and heuristics a wiki names most. 65,536 held
#: some 25 MB in each worker process of a 400,000-page index (``bench/bench_index.py``), and
#: reading 60,000 of its pages took no more CPU with both caches emptied every 4,096 pages.
CACHED_VALUES = 4096


@lru_cache(maxsize=CACHED_VALUES)
def _target_key(value: str) -> str | None:
    """The page a value names, when it carries a known namespace prefix.

    Cached: the same principles and heuristics are named by thousands of pages.
    """
    return namespaced_key(value)


def is_page_property(prop: str) -> bool:
    """Whether SMW stores the values of ``prop`` (a stored property name) as page titles."""
    return PROPERTY_TYPES.get(prop, "Page") == "Page"


@lru_cache(maxsize=CACHED_VALUES)
def page_value(value: str) -> str | None:
    """The page a value of a Page property names, as its key (``fine tuning`` → ``Fine_tuning``;
    a value without a namespace is a page of the main namespace), or None when no title can
    hold it (SMW refuses such a value). Cached: the same values recur across a wiki."""
    name = page_name(value)
    return name.key if name.valid else None


def page_record(name: PageName, page: Page, *, path: str | None = None, digest: str | None = None,
                mtime_ns: int | None = None, size: int | None = None) -> PageRecord:
    categories: list[str] = []
    return PageRecord(
        key=name.key, namespace=name.namespace, title=name.title, path=path, hash=digest,
        mtime_ns=mtime_ns, size=size, overview=page.overview or _first_paragraph(page),
        description=page.description, usage=page.usage,
        last_updated=page.last_updated.isoformat() if page.last_updated else None,
        last_updated_raw=page.last_updated_raw, props=_props(page),
        edges=_edges(page, categories), sources=[(s.type, s.title, s.url) for s in page.sources],
        domains=[d.name for d in page.domains], categories=categories,
        steps_text="\n".join(f"{s.name}\n{s.body}" for s in page.steps),
    )


def _first_paragraph(page: Page) -> str:
    """Pages of other types often have no Overview: their first paragraph stands in."""
    for text in (page.extras.get("after_metadata"), page.description,
                 page.sections[0].body if page.sections else None):
        if text:
            return text.split("\n\n", 1)[0]
    return ""


def _props(page: Page) -> list[PropRow]:
    """Each distinct (property, value) annotation once, at its first line; a Page value as its
    title's key, so that every spelling of one page is one value, as in SMW."""
    props: list[PropRow] = []
    seen: set[tuple[str, str]] = set()
    updated = julian_day(page.last_updated) if page.last_updated else None
    for annotation in page.annotations:
        prop, written = annotation.prop, annotation.value
        value = (page_value(written) or written) if is_page_property(prop) else written
        if (prop, value) in seen:
            continue
        seen.add((prop, value))
        number = updated if updated is not None and prop == "last_updated" \
            and written == page.last_updated_raw else _number(written)
        line = annotation.span.line if annotation.span else 0
        props.append((prop, value, number, line))
    return props


def _edges(page: Page, categories: list[str]) -> list[EdgeRow]:
    """Typed edges in page order (steps, heuristics, other annotations, plain links); category
    links go to ``categories`` instead."""
    edges: list[EdgeRow] = []
    for step in page.steps:
        # Every step as written: one without a principle is a step whose principle is missing.
        key = _target_key(step.target) if step.target else None
        span = step.link_span if key else step.heading_span
        line, column = span.position if span is not None else (0, 0)
        edges.append((key, "step", step.number, step.name, len(edges), line, column))
    for heuristic in page.heuristics:
        key = _target_key(heuristic.target)
        if key and heuristic.span is not None:
            line, column = heuristic.span.position
            edges.append((key, "uses_heuristic", None, None, len(edges), line, column))
    # Step and heuristic targets are not counted again under either property.
    structural = {(prop, edge[0]) for edge in edges for prop in ("step", "uses_heuristic")}
    for annotation in page.annotations:
        key = _target_key(annotation.value)
        prop = annotation.prop
        if key and annotation.span is not None and (prop, key) not in structural:
            structural.add((prop, key))
            line, column = annotation.span.position
            edges.append((key, prop, None, None, len(edges), line, column))
    for link in page.links:
        name = page_name(link.target)
        if name.namespace == "Category":
            categories.append(name.title.replace(" ", "_"))
            continue
        key = _target_key(link.target)
        if key and link.span is not None and ("link", key) not in structural:
            structural.add(("link", key))
            line, column = link.span.position
            edges.append((key, "link", None, None, len(edges), line, column))
    return edges
