"""What the rules share through their ``Context``, and work a plain lint leaves undone
(issue 18)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wikiflow import lint_source
from wikiflow.lint.rules.base import Context, Settings
from wikiflow.lint.rules.wikitext.property_name_format import PROPERTIES
from wikiflow.page.model import Annotation
from wikiflow.page.spans import LineIndex


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab\n", max_size=60),
       offsets=st.lists(st.integers(min_value=0, max_value=60), max_size=20))
def test_context_line_is_the_line_a_span_shows(text: str, offsets: list[int]) -> None:
    # More questions than Context.line counts by itself, so the line index answers too.
    ctx = Context(text, LineIndex(text), Settings())
    index = LineIndex(text)
    for offset in offsets:
        offset = min(offset, len(text))
        assert ctx.line(offset) == index.line(offset) == index.span(offset, offset).line


def test_a_fence_finding_names_its_closing_line_without_finding_every_line_start(
        guide_page: str, monkeypatch) -> None:
    # WF603 names the closing fence's line: it made every page with a fence find all its line
    # starts, which a plain lint (no position shown) never needs.
    calls = []
    line_starts = LineIndex._line_starts

    def counted(self):
        calls.append(self)
        return line_starts(self)

    monkeypatch.setattr(LineIndex, "_line_starts", counted)
    text = guide_page + "\n```python\nx = 1\n```\n"
    [fence] = [d for d in lint_source(text).diagnostics if d.code == "WF603"]
    assert f"(to line {text.rstrip().count(chr(10)) + 1})" in fence.message
    assert calls == []


def test_the_guides_property_spellings_are_their_own_smw_names() -> None:
    # WF608 passes over an annotation spelled as one of PROPERTIES without folding its name:
    # that spelling is already the one the guide writes.
    for name in PROPERTIES:
        assert Annotation(name, "x").prop.lower() == name


OVERVIEW_TEXT = st.text(alphabet="Ab1 .!?()\"'”]-<", min_size=0, max_size=30)


@settings(max_examples=1000, deadline=None)
@given(overview=OVERVIEW_TEXT)
@example(overview="1?()1")  # the parenthetical is blanked: "1?   1" is two sentences
def test_the_one_line_overview_shortcut_agrees_with_the_sentence_split(
        guide_page: str, overview: str) -> None:
    # WF110 passes over an Overview it can tell is one sentence without splitting it; whenever
    # it does, the split finds exactly one sentence (or, with no stop at all, what it always
    # passed over).
    from wikiflow.lint.rules.structure.overview_sentences import (
        _STOPS_INSIDE, _one_line_sentence, block_body, sentences)
    from wikiflow.lint.engine import _parse

    start = guide_page.index("== Overview ==")
    end = guide_page.index("\n", guide_page.index("\n", start) + 1)
    text = guide_page[:guide_page.index("\n", start) + 1] + overview + guide_page[end:]
    page = _parse(text, None)
    if "overview" not in page.spans or not _one_line_sentence(page.overview):
        return
    found = sentences(block_body(page, Context(text, LineIndex(text), Settings()), "overview")[1])
    assert len(found) == 1 or _STOPS_INSIDE.isdisjoint(page.overview[:-1])


@settings(max_examples=300, deadline=None)
@given(target=st.text(alphabet="aZ _:%1éß.-", max_size=20)
       | st.sampled_from(["Principle:Data_Formatting", "principle:data formatting",
                          "Heuristic:X", ":Main page", "Workflow: A_B"]))
def test_target_key_is_the_page_names_key(target: str) -> None:
    # WF502 and WF508 compare targets with this kept key: it must be PageName.key.
    from wikiflow.lint.rules.base import target_key
    from wikiflow.page.names import page_name

    assert target_key(target) == page_name(target).key
