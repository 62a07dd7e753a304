"""Property tests: random valid models survive render → parse; no input makes parse raise."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from wikiflow import parse_page, render_page
from wikiflow.lint.runner import UNFORMATTABLE
from wikiflow.page.mermaid import linear_diagram, parse_mermaid
from wikiflow.page.model import (
    Domain,
    Heuristic,
    MetadataRow,
    Page,
    RelatedStep,
    Section,
    Source,
    Step,
)
from wikiflow.page.render import DATE_FORMAT

WORD = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_]{0,12}", fullmatch=True)
LINE = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9 .,()'-]{0,30}[A-Za-z0-9.)])?", fullmatch=True)
BULLET = LINE.map(lambda line: f"* {line}")
PARAGRAPH = st.lists(st.one_of(LINE, BULLET), min_size=1, max_size=4).map("\n".join)
TEXT = st.lists(PARAGRAPH, min_size=1, max_size=3).map("\n\n".join)
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)
LINES = st.lists(LINE, min_size=1, max_size=3).map("\n".join)
NOTE = st.one_of(st.just(""), LINE.filter(lambda s: not s.lower().startswith("step")).map(
    lambda s: f" - {s}"))
NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9 ()'-]{0,20}[A-Za-z0-9)]", fullmatch=True)
TARGET = WORD.map(lambda w: f"Principle:{w}")
DATE = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=timezone.utc))
UNKNOWN_TITLES = st.sampled_from(["Notes", "GitHub URL", "Key Implementations", "Background"])


@st.composite
def steps(draw: st.DrawFn) -> list[Step]:
    result = []
    for number in range(1, draw(st.integers(0, 5)) + 1):
        target = draw(st.one_of(st.none(), TARGET))
        result.append(Step(number, draw(st.one_of(st.just(""), NAME)), target,
                           draw(OPTIONAL_TEXT), link_first=target is not None))
    return result


@st.composite
def sections(draw: st.DrawFn, step_count: int, absent: set[str]) -> list[Section]:
    # An unknown section follows a block that is on the page. Inside a level-2 block whose
    # subsections follow, it must be level 3+, or it would end that block (as in MediaWiki).
    anchors = [key for key in ("overview", "description", "usage", "execution_steps")
               if key not in absent]
    anchors += [f"step:{i}" for i in range(step_count)]
    anchors += ["execution_diagram", "related_pages", "related_steps", "tips"]
    nested = {"execution_steps", "related_pages", "related_steps"} | {
        f"step:{i}" for i in range(step_count)}
    result = []
    for _ in range(draw(st.integers(0, 3))):
        after = draw(st.sampled_from(anchors))
        level = draw(st.integers(3, 4) if after in nested else st.integers(2, 4))
        result.append(Section(draw(UNKNOWN_TITLES), level, draw(OPTIONAL_TEXT), after))
    return sorted(result, key=lambda s: anchors.index(s.after))


@st.composite
def pages(draw: st.DrawFn) -> Page:
    page_steps = draw(steps())
    date = draw(DATE)
    page = Page(
        title=draw(WORD),
        sources=draw(st.lists(st.builds(Source, WORD, LINE, WORD.map(lambda w: f"https://x.org/{w}")),
                              min_size=1, max_size=3)),
        domains=draw(st.lists(WORD.map(Domain), max_size=3)),
        last_updated=date, last_updated_raw=date.strftime(DATE_FORMAT),
        overview=draw(LINE), description=draw(OPTIONAL_TEXT), usage=draw(OPTIONAL_TEXT),
        steps=page_steps,
        heuristics=draw(st.lists(st.builds(Heuristic, WORD.map(lambda w: f"Heuristic:{w}"), NOTE),
                                 max_size=3)),
        metadata_rows=draw(st.lists(st.builds(MetadataRow, NAME, LINE), max_size=2)),
    )
    absent = {key for key in ("description", "usage") if not getattr(page, key)}
    if not page_steps:
        absent.add("execution_steps")
    page.sections = draw(sections(len(page_steps), absent))
    page.diagram = parse_mermaid(linear_diagram([s.name or "Step" for s in page_steps]))
    page.related_steps = draw(st.lists(
        st.builds(RelatedStep, TARGET, st.one_of(st.none(), st.integers(1, 20)), NOTE),
        min_size=1, max_size=4))
    for key in draw(st.sets(st.sampled_from(["preamble", "after_metadata", "execution_steps",
                                             "execution_diagram"]))):
        page.extras[key] = draw(TEXT)
    for key in draw(st.sets(st.sampled_from(["related_pages", "related_steps", "tips"]))):
        page.extras[key] = draw(LINES)
    return page


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_render_then_parse_gives_the_model_back(page: Page) -> None:
    text = render_page(page)
    parsed = parse_page(text, page.title)
    assert parsed == page
    assert parsed.problems == []
    assert render_page(parsed) == text


PAGE_PIECES = st.sampled_from([
    "== Overview ==\n", "=== Description ===\n", "== Execution Steps ==\n",
    "=== Step 1: A ===\n", "[[step::Principle:X]]\n", "{{#mermaid:graph TD\n", "A --> B\n",
    "}}\n", "{| class=\"wikitable\"\n", "|-\n", "! Domains\n", "| [[domain::A]]\n", "|}\n",
    "== Related Pages ==\n", "* [[uses_heuristic::Heuristic:H]]\n", "<!-- ", " -->", "<pre>",
    "[[", "]]", "{{", "=", "\r\n", "text ",
])


@settings(max_examples=500)
@given(st.lists(PAGE_PIECES, max_size=40).map("".join))
def test_formatting_any_page_like_text_is_idempotent(text: str) -> None:
    page = parse_page(text)
    # format_text refuses these: everything after an unclosed comment is hidden by MediaWiki.
    assume(not any(p.code in UNFORMATTABLE for p in page.problems))
    once = render_page(page)
    assert render_page(parse_page(once)) == once


@settings(max_examples=500)
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000),
                 st.lists(st.one_of(PAGE_PIECES, st.just("\ufeff")), max_size=60).map("".join)))
def test_parse_never_raises(data: bytes | str) -> None:
    page = parse_page(data)
    render_page(page)


def _without_diagram(page: Page) -> tuple:
    """What a parse that leaves the diagram unread must give alike: every field and list of
    the page, and its problems other than the diagram's own."""
    own = {id(problem) for problem in page.diagram.problems} if page.diagram else set()
    return (page, page.annotations, page.links, page.comments, page.headings, page.markdown,
            page.spans, page.table_attributes, page.newline,
            [problem for problem in page.problems if id(problem) not in own])


@settings(max_examples=500)
@given(st.lists(PAGE_PIECES, max_size=40).map("".join))
def test_leaving_the_diagram_unread_changes_nothing_else(text: str) -> None:
    full, unread = parse_page(text), parse_page(text, diagram=False)
    assert unread.diagram is None
    full.diagram = None
    assert _without_diagram(unread) == _without_diagram(full)
