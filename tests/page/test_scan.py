"""Scanner: hand-written cases (tests/data/scan_cases.txt) and the tiling property."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from wikiflow.page.scan import Kind, _pair_braces, pair_brackets, scan


def _cases() -> list[tuple[str, str, list[str]]]:
    cases = []
    for chunk in DATA.joinpath("scan_cases.txt").read_text(encoding="utf-8").split("### ")[1:]:
        name, _, rest = chunk.partition("\n")
        source, _, expected = rest.partition("---\n")
        cases.append((name, source, [line for line in expected.splitlines() if line]))
    return cases


def _describe(text: str) -> list[str]:
    lines = []
    for token in scan(text).tokens:
        level = f" {token.level}" if token.kind in (Kind.HEADING, Kind.LIST_ITEM) else ""
        lines.append(f"{token.kind.value}{level} {json.dumps(text[token.start:token.end])}")
    return lines


@pytest.mark.parametrize(("name", "source", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_scan_case(name: str, source: str, expected: list[str]) -> None:
    assert _describe(source) == expected


def test_unclosed_constructs_are_positioned_problems() -> None:
    result = scan("x [[a\n{{b\n<!-- c")
    codes = [(p.code, p.start) for p in result.problems]
    assert codes == [("unclosed-link", 2), ("unclosed-template", 6), ("unclosed-comment", 10)]


def test_unclosed_pre_is_reported_and_left_as_text() -> None:
    result = scan("<pre>never closed [[step::A]]")
    assert [p.code for p in result.problems] == ["unclosed-tag"]
    assert any(t.kind is Kind.LINK for t in result.tokens)


def test_heading_title_range_excludes_marks() -> None:
    text = "==  Execution Steps  ==\n"
    heading = scan(text).tokens[0]
    assert text[heading.inner[0]:heading.inner[1]].strip() == "Execution Steps"


WIKI_ALPHABET = st.lists(st.sampled_from(list("=[]{}|!*#:;<>-/ \nabcx`'") + [
    "<!--", "-->", "<pre>", "</pre>", "{{#mermaid:", "[[step::", "```", "{|", "|}"]),
    max_size=120).map("".join)


@settings(max_examples=400)
@given(st.one_of(WIKI_ALPHABET, st.text(max_size=300)))
def test_tokens_tile_the_text(text: str) -> None:
    tokens = scan(text).tokens
    assert "".join(text[t.start:t.end] for t in tokens) == text
    assert all(a.end == b.start for a, b in zip(tokens, tokens[1:]))
    assert all(t.start < t.end for t in tokens)


def test_one_problem_per_unclosed_cause() -> None:
    """The "[[" after an unclosed one on its line, and a tag after an unclosed one of its
    name, are never closed either: one problem says so, not one per opener."""
    result = scan("x [[a [[b\n[[c\n<pre>d <pre>e <nowiki>f")
    assert [(p.code, p.start) for p in result.problems] == [
        ("unclosed-link", 2), ("unclosed-link", 10), ("unclosed-tag", 14),
        ("unclosed-tag", 28)]


#: The heading rule as a pattern that pairs the marks itself (cubic on a long line of "="):
#: kept here as the definition the linear reader must agree with.
_HEADING_DEFINITION = re.compile(r"(=+)(.*?)(=+)[ \t]*")


@settings(max_examples=500)
@given(st.text(alphabet="= \tax", max_size=14).map(lambda s: "=" + s))
def test_headings_are_read_as_the_pattern_defines(line: str) -> None:
    tokens = [t for t in scan(line + "\n").tokens if t.kind is Kind.HEADING]
    match = _HEADING_DEFINITION.fullmatch(line)
    expected = None
    marks = line.rstrip(" \t")
    if not marks.strip("="):  # only "=": MediaWiki's preprocessor has a rule of its own
        level = min((len(marks) - 1) // 2, 6)
        expected = (level, marks[level:len(marks) - level]) if level else None
    elif match:
        left, right = len(match.group(1)), len(match.group(3))
        level = min(left, right, 6)
        title = line[level:match.start(3) + right - level]
        if title.strip():
            expected = (level, title)
    assert [(t.level, line[t.inner[0]:t.inner[1]]) for t in tokens] == (
        [expected] if expected else [])


def _pairs_by_regex(pattern: str, opener: str, text: str, begin: int
                    ) -> dict[int, tuple[int, int] | None]:
    """The pairing as first written, one regex over both marks: the oracle for ``_pair``,
    which skips to the marks with ``str.find``."""
    pairs: dict[int, tuple[int, int] | None] = {}
    opened: list[int] = []
    for mark in re.finditer(pattern, text[begin:]):
        if mark.group()[0] == opener:
            opened.append(begin + mark.start())
        elif opened:
            pairs[opened.pop()] = (begin + mark.start(), begin + mark.end())
    pairs.update(dict.fromkeys(opened))
    return pairs


@settings(max_examples=500)
@given(st.text(alphabet="{}[]x\ue000", max_size=40), st.integers(0, 40))
@example("{{{}}", 0).via("runs of three marks overlap")
@example("[[[x]]]]", 0).via("runs of three marks overlap")
def test_braces_and_brackets_pair_as_a_regex_over_both_marks_pairs_them(text: str,
                                                                        begin: int) -> None:
    begin = min(begin, len(text))
    assert _pair_braces(text, begin) == _pairs_by_regex(r"\{\{|\}\}", "{", text, begin)
    shown = text.replace("\ue000", " ").replace("[", "\ue000").replace("]", "\ue001")
    shown = (shown.replace("\ue000\ue000", "[[").replace("\ue001" * 4, "]]]]")
             .replace("\ue001" * 3, "\ue001]]").replace("\ue001\ue001", "]]"))
    assert pair_brackets(text) == _pairs_by_regex(r"\[\[|\]\]", "[", shown, 0)
