"""Line ends are decoded once: spans index the text that fixes edit, whatever CRs a page holds."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import corpus_workflows, needs_corpus
from wikiflow.lint.runner import fixed_text, format_text
from wikiflow.errors import InputError
from wikiflow.lint.engine import lint_source
from wikiflow.page.model import Page
from wikiflow.page.decode import decode_page
from wikiflow.page.parse import parse_page, parse_text


def _facts(page: Page) -> Counter[tuple[str, str]]:
    return Counter((a.prop, a.value) for a in page.annotations)


def assert_spans_slice(page: Page, text: str) -> None:
    """Every span of ``page`` cuts from ``text`` what the model says is there."""
    for annotation in page.annotations:
        written = text[annotation.span.start:annotation.span.end]
        assert written.startswith("[[") and written.endswith("]]"), written
        prop = text[annotation.property_span.start:annotation.property_span.end]
        assert prop.strip() == annotation.property
    for link in page.links:
        written = text[link.span.start:link.span.end]
        assert written.startswith("[[") and written.endswith("]]"), written
        assert text[link.target_span.start:link.target_span.end].strip() == link.target
    for heading in page.headings:
        written = text[heading.span.start:heading.span.end]
        assert written.startswith("=") and heading.title in written
    for comment in page.comments:
        assert text[comment.span.start:comment.span.end].startswith("<!--" + comment.text)
    for problem in page.problems:
        assert 0 <= problem.span.start <= problem.span.end <= len(text)


def _with_stray_crs(text: str, count: int, rng: random.Random) -> str:
    """``text`` with CRLF line ends and ``count`` extra CRs, each before a line end."""
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    for _ in range(count):
        at = text.find("\r\n", rng.randrange(len(text)))
        at = text.find("\r\n") if at == -1 else at
        text = f"{text[:at]}\r{text[at:]}"
    return text


@needs_corpus
@pytest.mark.parametrize("crs", [1, 4])
def test_stray_crs_in_crlf_corpus_pages_keep_spans_and_annotations(crs: int) -> None:
    rng = random.Random(crs)
    for path in corpus_workflows():
        source = _with_stray_crs(path.read_text(encoding="utf-8"), crs, rng)
        text = decode_page(source)[0]
        page = parse_page(source)
        assert_spans_slice(page, text)
        result = lint_source(source, fix=True)  # four stray CRs made WF607/WF608 raise
        assert result.original == text, path.name
        after = parse_text(result.source)
        assert not _facts(page) - _facts(after), f"{path.name}: --fix dropped annotations"
        assert_spans_slice(after, result.source)
        # Written back, the fixed page reads as the fixed text did.
        assert decode_page(fixed_text(result))[0] == result.source


def test_stray_crs_before_a_link_leave_its_fix_on_the_link() -> None:
    source = "Intro" + "\r\r\n" * 12 + "[[step:X]] and [[ Domain ::Y]]\r\n"
    result = lint_source(source, fix=True)
    assert "[[step::X]] and [[domain::Y]]" in result.source
    codes = {d.code for d in lint_source(source).diagnostics}
    assert {"WF607", "WF608"} <= codes


def test_a_lone_cr_ends_a_line_as_in_mediawiki() -> None:
    text, newline, _ = decode_page(b"== Overview ==\r\rGoal.\r\r\n")
    assert (text, newline) == ("== Overview ==\n\nGoal.\n\n", "\r\n")
    assert decode_page("a\rb\r")[1] == "\r"  # a page of lone CRs keeps them when written
    assert parse_page("== Overview ==\rGoal.\r").overview == "Goal."


LINE_ENDS = st.lists(st.sampled_from(
    ["\r", "\n", "\r\n", "\r\r\n", "[[step::A]]", "[[step:B]]", "[[ Domain ::C]]", "[[x|y]]",
     "== Overview ==", "=== Step 1: S ===", "== Execution Steps ==", "<!-- c -->", "**b**",
     "{{#mermaid:graph TD\nA-->B\n}}", "{|", "|}", "|", "! Domains", "text ", " "]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(LINE_ENDS)
# WF203's safe fix rewrote the whole "{|" line, and the fact after the attributes went with it.
@example("{|<!-- c -->[[step::A]]")
def test_spans_index_the_text_fixes_edit(source: str) -> None:
    text = decode_page(source)[0]
    page = parse_page(source)
    assert_spans_slice(page, text)
    result = lint_source(source, fix=True)
    assert result.original == text
    for diagnostic in result.diagnostics:
        assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(result.source)
    assert not _facts(page) - _facts(parse_text(result.source)), "a safe fix dropped a fact"


@settings(max_examples=200, deadline=None)
@given(LINE_ENDS)
def test_fmt_reads_stray_crs_once(source: str) -> None:
    try:
        result = format_text(source)
    except InputError:  # an unformattable page (an unclosed comment...) says why
        return
    assert format_text(result.formatted).formatted == result.formatted
