"""Suppression comments, read in one sweep, hide and mark what testing each pair would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wikiflow.lint.engine import Suppression, _close_used_ranges, _unsuppressed
from wikiflow.page.model import Severity
from wikiflow.lint.rules.base import Diagnostic
from wikiflow.page.spans import LineIndex

RULES = (("WF301", "step-a"), ("WF302", "step-b"), ("WF601", "bold"))
LINES = 12
INDEX = LineIndex("\n" * LINES)


def _reference(found: list[Diagnostic], suppressions: list[Suppression]) -> list[Diagnostic]:
    """Every diagnostic against every suppression: the definition, quadratic."""
    def enabled_between(disable: Suppression, line: int, diagnostic: Diagnostic) -> bool:
        for item in suppressions:
            if item.kind == "enable" and disable.span.line < item.span.line <= line \
                    and item.covers(diagnostic):
                item.used = True
                return True
        return False

    kept = []
    for diagnostic in found:
        line, hit = diagnostic.span.line, False
        for item in suppressions:
            if item.kind == "disable-next-line" and item.span.end_line + 1 == line \
                    and item.covers(diagnostic):
                item.used = hit = True
            elif item.kind == "disable" and item.span.line <= line and item.covers(diagnostic) \
                    and not enabled_between(item, line, diagnostic):
                item.used = hit = True
        if not hit:
            kept.append(diagnostic)
    for enable in (s for s in suppressions if s.kind == "enable" and not s.used):
        enable.used = any(
            item.kind == "disable" and item.used and item.span.line < enable.span.line
            and (not item.codes or not enable.codes or item.codes & enable.codes)
            for item in suppressions)
    return kept


SUPPRESSION = st.tuples(
    st.integers(0, LINES - 1), st.sampled_from(["disable-next-line", "disable", "enable"]),
    st.frozensets(st.sampled_from([code for rule in RULES for code in rule]), max_size=2))
DIAGNOSTIC = st.tuples(st.integers(0, LINES - 1), st.sampled_from(RULES))


@settings(max_examples=500, deadline=None)
@given(st.lists(SUPPRESSION, max_size=10), st.lists(DIAGNOSTIC, max_size=10))
def test_sweep_agrees_with_testing_every_pair(
        suppressions: list[tuple[int, str, frozenset[str]]],
        diagnostics: list[tuple[int, tuple[str, str]]]) -> None:
    def build() -> tuple[list[Diagnostic], list[Suppression]]:
        found = [Diagnostic(code, name, Severity.ERROR, "m", INDEX.span(at, at))
                 for at, (code, name) in diagnostics]
        items = [Suppression(kind, codes, INDEX.span(at, at))
                 for at, kind, codes in sorted(suppressions, key=lambda s: s[0])]
        return found, items

    found, items = build()
    kept = _unsuppressed(found, items)
    _close_used_ranges(items)
    found_ref, items_ref = build()
    kept_ref = _reference(found_ref, items_ref)
    assert [found.index(d) for d in kept] == [found_ref.index(d) for d in kept_ref]
    assert [s.used for s in items] == [s.used for s in items_ref]
