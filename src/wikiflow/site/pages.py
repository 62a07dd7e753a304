"""One wiki page as the site shows it: read, parsed into the typed model, linted, and cut into
the pieces the page template lays out (the metadata card, sections, steps, the diagram, the
pages that use it, the findings).

The wikitext between headings is rendered by ``wikitext.wikitext_html`` over spans of the
model; everything structured (the card, step anchors, the diagram's node → step map) comes
from the model, never from reading the text again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring_ascii as _json
from pathlib import Path
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

from ..config import Config
from ..errors import WikiflowError
from ..files.pages import read_page_source
from ..lint.engine import lint_source
from ..lint.rules.diagram.diagram_step_missing import match_steps
from ..page.model import Heading, Page, Step
from ..page.names import page_name
from ..page.spans import Span
from .catalog import Catalog, Entry, Use
from .links import Links
from .paths import domain_path, href
from .smw import factbox_html
from .wikitext import wikitext_html

#: URL schemes a source link may have; any other (``javascript:``, ``data:``) is shown as text.
SAFE_SCHEMES = ("http", "https", "ftp", "mailto")
#: The neighbourhood drawn on a page: at most this many pages around it.
NEIGHBOURS = 60
#: Headings of at most this many characters have their HTML kept (``Section.heading``).
CACHED_HEADING = 120


@dataclass(slots=True)
class Finding:
    line: int
    column: int
    code: str
    severity: str
    message: str


@dataclass(slots=True)
class Section:
    """A heading and the rendered text under it; a step's ``principle`` link and a
    diagram's node → step anchor map when the section holds them."""

    level: int
    title: str
    anchor: str
    html: Markup
    principle: tuple[str, str | None] | None = None
    diagram: str | None = None
    node_steps: str = "{}"

    @property
    def opening(self) -> Markup:
        """The section's start tag (``level-N``, and ``step`` for a step's section) and its
        heading, with its id and a link to itself; made here rather than in the page
        template, where its seven escaped values (and a ``min`` filter: HTML has no level
        beyond 6) were half of the template's work on a section. Most headings are the
        guide's own (Overview, Description, Usage...), the same on every page: a short one is
        made once (a long one each time, so that the kept ones stay small; a step's each
        time too, as its title names the step and is seldom seen again)."""
        step = self.principle is not None
        made = _opening if step or len(self.title) > CACHED_HEADING else _kept_opening
        return made(self.level, self.title, self.anchor, step)


def _opening(level: int, title: str, anchor: str, step: bool) -> Markup:
    """``Section.opening``'s HTML."""
    tag, anchor = f"h{min(level, 6)}", escape(anchor)
    return Markup(f'<section class="level-{level}{" step" if step else ""}">\n'
                  f'<{tag} id="{anchor}">{escape(title)}<a class="anchor" '
                  f'href="#{anchor}" aria-label="Link to this section">¶</a></{tag}>')


_kept_opening = lru_cache(maxsize=1024)(_opening)


@dataclass(slots=True)
class Source:
    type: str
    title: str
    url: str | None


@dataclass(slots=True)
class PageView:
    """Everything the page template shows of one page."""

    entry: Entry
    path: str
    preamble: Markup = Markup("")
    sections: list[Section] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    domains: list[tuple[str, str]] = field(default_factory=list)
    last_updated: str | None = None
    age_days: int | None = None
    used_by: list[tuple[str, str | None, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_linted: str | None = None
    error: str | None = None
    factbox: Markup = Markup("")
    neighbourhood: str | None = None
    #: What the site's cache of renderings keeps (``cache``): the sha1 of the bytes read, the
    #: page's last update, and the keys of the pages its links named.
    file_hash: str | None = None
    updated: datetime | None = None
    linked: set[str] = field(default_factory=set)


def page_view(catalog: Catalog, root: Path, key: str, config: Config) -> PageView:
    """The view of the existing page ``key`` of the wiki at ``root``. A file that cannot be
    read gives a view that says so rather than an error: one bad page never stops a build."""
    entry = catalog.entries[key]
    file = root / (entry.file or "")
    try:
        data = read_page_source(str(file))
    except WikiflowError as error:
        view = PageView(entry, catalog.paths[key])
        view.error = str(error)
        return view
    view = text_view(catalog, entry, file, data, config)[0]
    place(view, catalog)
    return view


def text_view(catalog: Catalog, entry: Entry, file: Path, data: bytes, config: Config
              ) -> tuple[PageView, Page]:
    """The view of a page from its file's bytes ``data``, with the page as parsed: all of it
    but what the whole wiki says of the page (``place``). Of ``catalog`` only ``paths`` is
    asked, to link: the site's build makes this view while the index reads the page, from
    the pages the wiki's files hold (``drafts``)."""
    view = PageView(entry, catalog.paths[entry.key])
    view.file_hash = hashlib.sha1(data).hexdigest()
    result = lint_source(data, path=str(file), title=entry.key, config=config)
    page = result.page
    assert page is not None  # no fix asked for: the page is the one linted
    view.findings = [Finding(d.span.line, d.span.column, d.code, d.severity.value, d.message)
                     for d in result.diagnostics]
    view.not_linted = result.other_type
    links = links_from(catalog, view.path, view.linked)
    _fill(view, page, result.source, links)
    return view, page


def place(view: PageView, catalog: Catalog) -> None:
    """Fill in what the whole wiki says of the page: its entry, the pages that use it, its
    neighbourhood (the pages it uses are drawn there)."""
    key = view.entry.key
    view.entry = catalog.entries[key]
    view.used_by = _related(view.path, catalog, catalog.used_by.get(key, []))
    view.neighbourhood = neighbourhood(catalog, key, view.path)


def links_from(catalog: Catalog, current: str, named: set[str] | None = None) -> Links:
    """The ``Links`` callback of the renderer for the site page ``current``: a title as
    written → a relative href, None for a missing page (a red link). The key of each page
    asked about is added to ``named``. Each title is worked out once a page: a page names
    the same ones again and again (a step's heading, its annotation, the Related Pages list
    and the facts box all name its Principle), a third of all asked on the generated wiki."""
    found: dict[str, str | None] = {}

    def link(written: str) -> str | None:
        if written not in found:
            found[written] = _link(catalog, current, named, written)
        return found[written]
    return link


def _link(catalog: Catalog, current: str, named: set[str] | None, written: str) -> str | None:
    target, _, fragment = written.partition("#")
    if not target.strip():
        return f"#{quote(fragment)}" if fragment else None
    key = page_name(target).key
    if named is not None:
        named.add(key)
    path = catalog.paths.get(key)
    return None if path is None else href(current, path, fragment.replace(" ", "_"))


def _fill(view: PageView, page: Page, text: str, links: Links) -> None:
    view.sources = [Source(s.type, s.title, s.url if _safe_url(s.url) else None)
                    for s in page.sources]
    view.domains = [(d.name.replace("_", " "), href(view.path, domain_path(d.name)))
                    for d in page.domains]
    view.last_updated = page.last_updated_raw
    view.updated = page.last_updated
    view.age_days = age_days(page.last_updated)
    headings = page.headings
    first = headings[0].span.start if headings and headings[0].span else len(text)
    view.preamble = _text(text, 0, first, page.spans.get("metadata"), links)
    view.sections = _sections(page, text, links)
    view.factbox = factbox_html(page, links)


def age_days(updated: datetime | None) -> int | None:
    """Whole days from ``updated`` (UTC) to now; None without a date."""
    return None if updated is None else (datetime.now(UTC) - updated.replace(tzinfo=UTC)).days


def _safe_url(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES


def _text(text: str, start: int, end: int, hole: Span | None, links: Links) -> Markup:
    """``text[start:end]`` rendered, without the part ``hole`` covers (the metadata table,
    shown as the card; the diagram, drawn)."""
    if hole is None or hole.end <= start or hole.start >= end:
        return wikitext_html(text, links, start=start, end=end)
    return (wikitext_html(text, links, start=start, end=hole.start)
            + wikitext_html(text, links, start=hole.end, end=end))


def _sections(page: Page, text: str, links: Links) -> list[Section]:
    """A section per heading, in the page's order, each with the text up to the next one."""
    steps = {step.heading_span.start: step for step in page.steps if step.heading_span}
    anchors = step_anchors(page)
    placed = [(heading, heading.span) for heading in page.headings if heading.span is not None]
    taken: set[str] = set()
    tried: dict[str, int] = {}
    sections = []
    for i, (heading, span) in enumerate(placed):
        start = min(span.end + 1, len(text))
        end = placed[i + 1][1].start if i + 1 < len(placed) else len(text)
        section = _section(page, heading, steps.get(span.start), anchors,
                           (text, start, end), links)
        section.anchor = _unique(section.anchor, taken, tried)
        sections.append(section)
    return sections


def _section(page: Page, heading: Heading, step: Step | None, anchors: dict[int, str],
             part: tuple[str, int, int], links: Links) -> Section:
    """The section of ``heading`` over ``part`` (the page's text, where the section's text
    starts and ends); ``step``, the step it heads if any, and ``anchors``, each step's."""
    text, start, end = part
    anchor = heading.title.replace(" ", "_")
    if step is not None:
        if step.link_first and step.link_span is not None and step.target is not None:
            start = max(start, step.link_span.end)
        principle = None if step.target is None else (step.target, links(step.target))
        return Section(heading.level, heading.title, anchors[id(step)],
                       wikitext_html(text, links, start=start, end=end), principle=principle)
    if heading.key == "execution_diagram" and page.diagram is not None:
        return Section(heading.level, heading.title, anchor,
                       _text(text, start, end, page.diagram.span, links),
                       diagram=page.diagram.source, node_steps=_node_steps(page, anchors))
    return Section(heading.level, heading.title, anchor,
                   wikitext_html(text, links, start=start, end=end))


def step_anchors(page: Page) -> dict[int, str]:
    """Each step's anchor, by the step's ``id``: ``step-N`` for a numbered step, else
    ``step-at-P`` by its position among the steps. All at once: looking a step up in the list
    for each one was quadratic in a page of many unnumbered steps (8,000 took minutes)."""
    return {id(step): f"step-{step.number}" if step.number is not None else f"step-at-{i}"
            for i, step in enumerate(page.steps, 1)}


def _node_steps(page: Page, anchors: dict[int, str]) -> str:
    """JSON: each diagram node id that stands for a step → the step's anchor."""
    return json.dumps({found.node.id: anchors[id(found.step)]
                       for found in match_steps(page) if found.node is not None})


def _unique(anchor: str, taken: set[str], tried: dict[str, int]) -> str:
    """MediaWiki's rule for repeated headings: the second ``X`` is ``X_2``. ``tried`` keeps the
    last number tried for each anchor: those below it are taken (``taken`` only grows), and
    trying them again for every repeat was quadratic in a page of many same headings."""
    n = tried.get(anchor, 1)
    candidate = anchor if n == 1 else f"{anchor}_{n}"
    while candidate in taken:
        n += 1
        candidate = f"{anchor}_{n}"
    tried[anchor] = n
    taken.add(candidate)
    return candidate


def _related(current: str, catalog: Catalog, uses: list[Use]
             ) -> list[tuple[str, str | None, str]]:
    """(title, href or None, how) for the page at the far end of each of ``uses``: ``how``
    names the step (number and name) or the property."""
    out = []
    for use in uses:
        path = catalog.paths.get(use.other)
        how = use.property.replace("_", " ")
        if use.property == "step":
            how = f"step {use.number}: {use.name}" if use.number is not None else "step"
        out.append((use.other.replace("_", " "), None if path is None else href(current, path),
                    how))
    return out


def neighbourhood(catalog: Catalog, key: str, current: str) -> str | None:
    """JSON of the graph around ``key`` (the pages it links to and that link to it, at most
    ``NEIGHBOURS``), for the page's graph view: nodes with their href, edges by index; None
    for a page with no neighbour. Written out piece by piece as ``json.dumps`` writes it
    (``{"nodes": [...], "edges": [...], "focus": 0}``): its dicts and lists, made for every
    page only to be encoded, were half of finishing a page's place in the wiki."""
    uses, used_by = catalog.uses.get(key, []), catalog.used_by.get(key, [])
    index = {key: 0}  # each page around → its node's number, in the order met
    for use in chain(uses, used_by):
        if len(index) > NEIGHBOURS:
            break
        index.setdefault(use.other, len(index))
    if len(index) == 1:
        return None
    nodes = ", ".join([_node(catalog, other, current) for other in index])
    edges = ", ".join([f"[0, {index[u.other]}]" for u in uses if u.other in index]
                      + [f"[{index[u.other]}, 0]" for u in used_by if u.other in index])
    return f'{{"nodes": [{nodes}], "edges": [{edges}], "focus": 0}}'


def _node(catalog: Catalog, key: str, current: str) -> str:
    """A page of a neighbourhood, as JSON: its title, namespace and href (null without a
    page)."""
    entry, path = catalog.entries.get(key), catalog.paths.get(key)
    title = _json(key.replace("_", " "))
    namespace = '""' if entry is None else _json(entry.namespace)
    link = "null" if path is None else _json(href(current, path))
    return f'{{"t": {title}, "n": {namespace}, "h": {link}}}'
