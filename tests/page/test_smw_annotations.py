"""Semantic MediaWiki's in-text annotation rules, as SMW's own tests state them.

The cases (``smw_annotations.yml``) are restated from SMW's unit and JSONScript tests, each
naming its source. Every case agrees, or names the entry of ``docs/annotations.md`` that says
why wikiflow answers otherwise; such a case must still differ, so the list stays true.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wikiflow import parse_page
from wikiflow.page.model import Page
from wikiflow.page.scan import scan

CASES = yaml.safe_load((Path(__file__).parent / "smw_annotations.yml").read_text("utf-8"))["cases"]
DOC = (Path(__file__).parents[2] / "docs" / "annotations.md").read_text("utf-8")


def answer(page: Page, case: dict[str, Any]) -> dict[str, Any]:
    """What wikiflow says of the case's text, in the case's terms."""
    said: dict[str, Any] = {
        "annotations": [[a.property, a.value, a.caption] for a in page.annotations]}
    if "links" in case:
        said["links"] = [link.target for link in page.links]
    if "refused" in case:
        said["refused"] = [p.message.split("'")[1] for p in page.problems
                           if p.code == "annotation-refused"]
    if "shown" in case:
        said["shown"] = [a.caption if a.caption is not None else a.value
                         for a in page.annotations]
    return said


def expected(case: dict[str, Any]) -> dict[str, Any]:
    return {key: case[key] for key in ("annotations", "links", "refused", "shown") if key in case}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['source'].rsplit('/', 1)[-1]}: {c['case']}"
                                             for c in CASES])
def test_smw_case(case: dict[str, Any]) -> None:
    said = answer(parse_page(case["text"]), case)
    if "differs" not in case:
        assert said == expected(case)
        return
    assert f"`{case['differs']}`" in DOC, f"docs/annotations.md has no entry {case['differs']}"
    assert case["case"] in DOC, "a deliberate difference is listed in docs/annotations.md"
    assert said != expected(case), "this case agrees now: drop it from the differences"


def test_at_least_fifty_cases_each_naming_its_source() -> None:
    assert len(CASES) >= 50
    assert all(case["source"] and case["case"] for case in CASES)


#: Pieces of SMW's annotation syntax, for texts that meet its rules often.
PIECES = st.sampled_from(["[[", "]]", "[", "]", "::", ":=", ":", "|", "@@@", "SMW::off", "SMW::on",
                          "-", "\n", "\u200e", "\u200b", "p", "Step", " ", "=", "<!--", "-->",
                          "{{", "}}", "<nowiki>", "</nowiki>", "{|", "|}", "http://x"])


@given(st.lists(PIECES, max_size=60).map("".join))
@settings(max_examples=300)
def test_tokens_tile_the_text_and_annotations_cover_their_own_text(text: str) -> None:
    """Whatever SMW's rules make of the brackets, the tokens still tile the text, and each
    annotation's span is a ``[[…]]`` of the text that holds its property as written."""
    tokens = scan(text).tokens
    assert "".join(text[t.start:t.end] for t in tokens) == text
    assert all(t.start < t.end for t in tokens)
    page = parse_page(text)
    for annotation in page.annotations:
        span, where = annotation.span, annotation.property_span
        assert text.startswith("[[", span.start) and text.endswith("]]", 0, span.end)
        assert span.start + 2 <= where.start <= where.end < span.end
        written = text[where.start:where.end]
        assert annotation.property in written or annotation.property == written.strip() \
            or not written.isprintable()
    for link in page.links:
        assert text.startswith("[[", link.span.start) and text.endswith("]]", 0, link.span.end)


def test_an_annotation_spans_lines_but_not_what_mediawiki_reads_first() -> None:
    """SMW's pattern reads on over a line end, but MediaWiki has made headings, comments and
    templates of the text before SMW sees it: an annotation ends at none of those."""
    text = "[[step::Principle:\nQuantization]] [[domain::A\n== Overview ==\nB]] [[p::x<!--\n-->]]"
    page = parse_page(text)
    assert [(a.property, a.value) for a in page.annotations] == [
        ("step", "Principle:\nQuantization")]
    assert [h.title for h in page.headings] == ["Overview"]
    assert [p.span.start for p in page.problems if p.code == "unclosed-link"] == [
        0, text.index("[[domain"), text.index("[[p::x")]


def test_an_annotation_inside_markdown_bold_is_read() -> None:
    """MediaWiki reads no ``**``: SMW stores the annotation between two of them, and a
    ``[[SMW::off]]`` there switches storing off (a fix to ``'''`` must change no fact)."""
    page = parse_page("x **[[domain::LLMs]] and more** [[step::A]]\n**[[SMW::off]]y**\n[[step::B]]")
    assert [(a.property, a.value) for a in page.annotations] == [("domain", "LLMs"),
                                                                  ("step", "A")]
