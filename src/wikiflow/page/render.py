"""Page → the guide's canonical wikitext.

Written from the model alone: the metadata table with the guide's attributes, the guide's
sections in its order and levels, ``=== Step N: Name ===`` headings, one blank line between
blocks (none after a heading). What the model keeps verbatim (unknown sections, ``extras``) is
written back where it was found. A missing diagram is generated from the steps, and a missing
Related Pages step list is derived from them, so a rendered page is always complete.
"""

from __future__ import annotations

from collections import defaultdict

from .mermaid import linear_diagram
from .model import Heuristic, Page, RelatedStep, Section, Source
from .names import fold_label
from .outline import SUB_SECTIONS, TOP_SECTIONS
from .parse import LINE_OPENERS

TABLE_OPEN = '{| class="wikitable" style="float:right; margin-left:1em; width:300px;"'
DATE_FORMAT = "%Y-%m-%d %H:%M GMT"
#: The guide's heading titles by block key (levels: see ``parse.TOP_SECTIONS``/``SUB_SECTIONS``).
SECTION_TITLES = {
    "overview": "Overview",
    "description": "Description",
    "usage": "Usage",
    "execution_steps": "Execution Steps",
    "execution_diagram": "Execution Diagram",
    "related_pages": "Related Pages",
    "related_steps": "Execution Steps",
    "tips": "Tips and Tricks",
}
STEP_LEVEL = 3


def render_page(page: Page) -> str:
    """The canonical wikitext of ``page``, with ``\\n`` line ends and one final newline."""
    writer = _Writer(page)
    writer.page_text()
    return writer.result()


def render_table(page: Page) -> str:
    """The metadata table alone (used by fixes that rewrite just that block)."""
    return "\n".join(_table_lines(page))


def render_related_pages(page: Page) -> str:
    """The whole Related Pages section (with its subsections) as ``render_page`` writes it."""
    writer = _Writer(page)
    writer.related_pages()
    return "".join(writer.parts)


def render_diagram_section(page: Page) -> str:
    """The Execution Diagram section as ``render_page`` writes it."""
    writer = _Writer(page)
    writer.diagram()
    return "".join(writer.parts)


def render_diagram_block(source: str) -> str:
    return "{{#mermaid:" + source + "}}"


def related_steps_of(page: Page) -> list[RelatedStep]:
    """The Related Pages step list the page has, or the one its steps imply."""
    if page.related_steps:
        return page.related_steps
    return [RelatedStep(step.target, step.number) for step in page.steps if step.target]


def diagram_source_of(page: Page) -> str | None:
    if page.diagram is not None:
        return page.diagram.source
    if page.steps:
        return linear_diagram([step.name for step in page.steps])
    return None


def render_related_step(item: RelatedStep) -> str:
    tail = f" - Step {item.step}{item.note}" if item.step is not None else item.note
    return f"* [[step::{item.target}]]{tail}"


def render_heuristic(item: Heuristic) -> str:
    return f"* [[uses_heuristic::{item.target}]]{item.note}"


def render_source(source: Source) -> str:
    return "[[source::" + "|".join((source.type, source.title, source.url)).rstrip("|") + "]]"


def heading(level: int, title: str) -> str:
    marks = "=" * level
    return f"{marks} {title} {marks}"


def step_title(number: int | None, name: str) -> str:
    """A step heading's title; a step written without ``Step N:`` keeps its bare name (the
    parser knows it for a step by its link, and step-number-missing numbers it)."""
    if number is None:
        return name
    return f"Step {number}: {name}" if name else f"Step {number}"


class _Writer:
    """Accumulates blocks; a heading is followed directly by its content, blocks by a blank line."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.parts: list[str] = []
        self.after_heading = False
        self.sections: dict[str, list[Section]] = defaultdict(list)
        for section in page.sections:
            self.sections[_anchor(section, len(page.steps))].append(section)

    def result(self) -> str:
        for anchor in list(self.sections):
            self.unknown(anchor)
        return "".join(self.parts) + "\n" if self.parts else ""

    def _separate(self) -> None:
        if self.parts:
            self.parts.append("\n" if self.after_heading else "\n\n")

    def heading(self, level: int, title: str) -> None:
        self._separate()
        self.parts.append(heading(level, title))
        self.after_heading = True

    def block(self, text: str | None) -> None:
        if text:
            self._separate()
            self.parts.append(text)
            self.after_heading = False

    def unknown(self, anchor: str) -> None:
        for section in self.sections.pop(anchor, ()):
            self.heading(section.level, section.title)
            self.block(section.body)

    def has(self, key: str, *content: object) -> bool:
        return key in self.page.spans or any(content) or key in self.page.extras

    # -- page ------------------------------------------------------------------------------

    def page_text(self) -> None:
        page = self.page
        self.block(page.extras.get("preamble"))
        if page.sources or page.domains or page.last_updated_raw or page.metadata_rows \
                or "metadata" in page.spans:
            self.block("\n".join(_table_lines(page)))
        self.block(page.extras.get("after_metadata"))
        self.unknown("preamble")
        self.text_section("overview", 2, page.overview)
        self.text_section("description", 3, page.description)
        self.text_section("usage", 3, page.usage)
        self.steps()
        self.diagram()
        self.related_pages()

    def text_section(self, key: str, level: int, text: str) -> None:
        if self.has(key, text):
            self.heading(level, SECTION_TITLES[key])
            self.block(text)
            self.block(self.page.extras.get(key))
        self.unknown(key)

    def steps(self) -> None:
        page = self.page
        if self.has("execution_steps", page.steps):
            self.heading(2, SECTION_TITLES["execution_steps"])
            self.block(page.extras.get("execution_steps"))
        self.unknown("execution_steps")
        for n, step in enumerate(page.steps):
            self.heading(STEP_LEVEL, step_title(step.number, step.name))
            if step.link_first and step.target is not None:
                link = f"[[step::{step.target}]]"
                self.block(f"{link}\n{step.body}" if step.body else link)
            else:
                self.block(step.body)
            self.unknown(f"step:{n}")

    def diagram(self) -> None:
        page = self.page
        source = diagram_source_of(page)
        if self.has("execution_diagram", source):
            self.heading(2, SECTION_TITLES["execution_diagram"])
            if source is not None:
                self.block(render_diagram_block(source))
            self.block(page.extras.get("execution_diagram"))
        self.unknown("execution_diagram")

    def related_pages(self) -> None:
        page = self.page
        related = related_steps_of(page)
        # Text under a Tips and Tricks or step list heading found without Related Pages above
        # it (at the wrong level, say) is written back under the section it belongs to.
        if not (self.has("related_pages", related, page.heuristics) or self.has("related_steps")
                or self.has("tips")):
            return
        self.heading(2, SECTION_TITLES["related_pages"])
        self.block(page.extras.get("related_pages"))
        self.unknown("related_pages")
        self.heading(3, SECTION_TITLES["related_steps"])
        self.block("\n".join(render_related_step(item) for item in related))
        self.block(page.extras.get("related_steps"))
        self.unknown("related_steps")
        self.heading(3, SECTION_TITLES["tips"])
        self.block("\n".join(render_heuristic(item) for item in page.heuristics))
        self.block(page.extras.get("tips"))
        self.unknown("tips")


def _anchor(section: Section, step_count: int) -> str:
    """Where to write an unknown section: after the block it followed, with two exceptions.

    A second copy of a guide section goes last, where it cannot be taken for the first. A
    level-2 section found inside a block with subsections (among the steps, inside Related
    Pages) goes after that whole block: written where it was, it would put the subsections
    that follow under itself on the rendered page.
    """
    folded = fold_label(section.title)
    if folded in TOP_SECTIONS or folded in SUB_SECTIONS:
        return "end"
    if section.level > 2:
        return section.after
    if section.after in ("related_pages", "related_steps"):
        return "tips"
    if section.after == "execution_steps" or section.after.startswith("step:"):
        return f"step:{step_count - 1}" if step_count else "execution_steps"
    return section.after


def _table_lines(page: Page) -> list[str]:
    extras = page.extras
    lines = [TABLE_OPEN, *_residue(extras.get("meta:stray"))]
    if page.sources or "sources" in page.spans or "meta:sources" in extras:
        residue = extras.get("meta:sources")
        if residue and residue.startswith(LINE_OPENERS):  # read inline: a line of its own
            lines += ["|-", "! Knowledge Sources", f"| {residue}"]  # would make it a list, a cell…
        else:
            lines += ["|-", "! Knowledge Sources", "|"]
        lines += [f"* {render_source(source)}" for source in page.sources]
        if residue and not residue.startswith(LINE_OPENERS):
            lines.append(residue)
    if page.domains or "domains" in page.spans or "meta:domains" in extras:
        cell = ", ".join(f"[[domain::{domain.name}]]" for domain in page.domains)
        lines += ["|-", "! Domains", _cell(cell, extras.get("meta:domains"))]
    if page.last_updated_raw is not None or page.last_updated is not None \
            or "last_updated" in page.spans or "meta:last_updated" in extras:
        raw = page.last_updated_raw
        if raw is None and page.last_updated is not None:
            raw = page.last_updated.strftime(DATE_FORMAT)
        cell = f"[[last_updated::{raw}]]" if raw is not None else ""
        lines += ["|-", "! Last Updated", _cell(cell, extras.get("meta:last_updated"))]
    for row in page.metadata_rows:
        lines += ["|-", f"! {row.header}" if row.header else "!",
                  _cell("", row.value, verbatim=True)]
    lines.append("|}" + extras.get("meta:tail", ""))  # what followed it on its line
    return lines


def _cell(annotations: str, residue: str | None, *, verbatim: bool = False) -> str:
    """A data cell: ``| value`` on one line, or ``|`` then the lines of a multi-line value.

    A value starting with a list marker, table marker or blank stays after the ``|``, where it
    was read (the parser reads a list at a line start as separators): on a line of its own it
    would become a list or a new cell. Only a ``verbatim`` value (a row the guide does not
    define, kept as written) that starts with a list marker was a list, and goes on its own line.
    """
    value = " ".join(part for part in (annotations, residue) if part)
    if verbatim and value.startswith(("*", "#", ":", ";")) \
            or "\n" in value and not value.startswith(LINE_OPENERS):
        return f"|\n{value}"
    return f"| {value}" if value else "|"


def _residue(text: str | None) -> list[str]:
    return [text] if text else []
