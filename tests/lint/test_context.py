"""What the rules share through their ``Context``, and work a plain lint leaves undone
(issue 18)."""

from __future__ import annotations

from hypothesis import given, settings
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
