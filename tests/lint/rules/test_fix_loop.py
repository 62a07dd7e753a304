"""The fix loop: overlapping edits, hidden text, kept words, honest counts, empty pages, speed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.lint.rules.splice import splice
from tests.lint.rules.test_rules import REFERENCE
from wikiflow.lint.edits import Applicability, Edit, Fix, apply_fixes
from wikiflow.lint.engine import lint_page, lint_source

RELATED = REFERENCE.index("== Related Pages ==")
TIPS = REFERENCE.index("=== Tips and Tricks ===")


def _fix(*edits: tuple[int, int, str]) -> Fix:
    return Fix("t", tuple(Edit(*edit) for edit in edits))


def test_apply_fixes_takes_fixes_in_order_and_leaves_overlapping_ones_for_later() -> None:
    first, overlapping, after = _fix((0, 3, "A")), _fix((2, 5, "B")), _fix((5, 6, "C"))
    text, taken = apply_fixes("abcdefg", [after, overlapping, first])
    assert (text, taken) == ("AdeCg", [first, after])


def test_apply_fixes_never_takes_a_fix_whose_own_edits_overlap() -> None:
    text, taken = apply_fixes("abcdef", [_fix((3, 6, "X"), (0, 6, ""))])
    assert (text, taken) == ("abcdef", [])


def test_apply_fixes_makes_an_edit_two_rules_propose_once() -> None:
    one, same = _fix((1, 2, "Z")), _fix((1, 2, "Z"))
    assert apply_fixes("abc", [one, same]) == ("aZc", [one, same])


def test_two_insertions_at_one_point_are_not_guessed_in_one_round() -> None:
    text, taken = apply_fixes("ab", [_fix((1, 1, "X")), _fix((1, 1, "Y"))])
    assert len(taken) == 1 and text in ("aXb", "aYb")


@pytest.mark.parametrize("page", [
    "== Tips and Tricks ==\n== Related Pages ==",
    REFERENCE[:RELATED] + REFERENCE[TIPS:] + "\n" + REFERENCE[RELATED:TIPS].replace(
        "=== Execution Steps ===\n", ""),
], ids=["minimal", "guide-page"])
def test_tips_above_related_pages_is_fixed_without_a_crash(page: str) -> None:
    for unsafe in (False, True):
        fixed = lint_source(page, fix=True, unsafe=unsafe)
        assert fixed.converged
        assert lint_source(fixed.source, fix=True, unsafe=unsafe).source == fixed.source
    fixed = lint_source(page, fix=True)
    assert fixed.source.count("=== Tips and Tricks ===") == 1
    assert fixed.source.index("== Related Pages ==") < fixed.source.index("Tips and Tricks")


def test_a_fix_never_writes_into_an_unclosed_comment() -> None:
    page = REFERENCE[:RELATED] + "<!-- draft\n" + REFERENCE[RELATED:]
    hidden = [d for d in lint_page(page) if d.code == "WF501"]
    assert hidden and all(d.fix is None for d in hidden)
    fixed = lint_source(page, fix=True, unsafe=True)
    assert fixed.source == page and fixed.converged


def test_a_fix_that_replaces_a_whole_comment_is_kept() -> None:
    page = REFERENCE + "\n<!-- wikiflow-disable-next-line WF301 -->\n"
    unused = [d for d in lint_page(page) if d.code == "WF611"]
    assert unused and all(d.fix is not None for d in unused)


def test_the_safe_related_steps_fix_keeps_the_note_written_on_an_item() -> None:
    page = REFERENCE.replace("* [[step::Principle:Data_Formatting]] - Step 1\n", "").replace(
        "* [[step::Principle:Quantization]] - Step 2",
        "* [[step::Principle:Quantization]] - Step 2 (needs a GPU with bf16)")
    fixed = lint_source(page, fix=True)
    assert "* [[step::Principle:Quantization]] - Step 2 (needs a GPU with bf16)" in fixed.source
    assert "* [[step::Principle:Data_Formatting]] - Step 1" in fixed.source
    assert fixed.diagnostics == []


def test_a_related_steps_fix_that_drops_words_is_unsafe() -> None:
    page = REFERENCE.replace("* [[step::Principle:Low_Rank_Adaptation]] - Step 3",
                             "* [[step::Principle:Low_Rank_Adaptation]] - Step 3\n"
                             "* [[step::Principle:Merging]] - Step 4 merge the weights")
    found = [d for d in lint_page(page) if d.code == "WF502"]
    assert found and found[0].fix is not None
    assert found[0].fix.applicability is Applicability.UNSAFE
    assert lint_source(page, fix=True).source == page


def test_a_related_steps_fix_that_changes_an_annotation_but_keeps_the_words_is_unsafe() -> None:
    """Steps 2 and 3 link 'Quantization' and 'Principle' without a namespace; the rebuilt list
    would write the listed 'Principle:Quantization' as 'Quantization', every word still there."""
    page = REFERENCE.replace("[[step::Principle:Quantization]]\n", "[[step::Quantization]]\n") \
        .replace("[[step::Principle:Low_Rank_Adaptation]]\n", "[[step::Principle]]\n") \
        .replace("* [[step::Principle:Low_Rank_Adaptation]] - Step 3\n", "")
    found = [d for d in lint_page(page) if d.code == "WF502"]
    assert found and found[0].fix is not None
    assert found[0].fix.applicability is Applicability.UNSAFE
    assert "[[step::Principle:Quantization]]" in lint_source(page, fix=True).source


def test_related_steps_message_quotes_the_line_as_written() -> None:
    line = "* [[step:: Principle:Quantization ]] – step 7 (4-bit)"
    page = REFERENCE.replace("* [[step::Principle:Data_Formatting]] - Step 1", line)
    found = [d for d in lint_page(page) if d.code == "WF502"]
    assert found and f"'{line}'" in found[0].message


def test_adding_an_empty_tips_section_is_unsafe_and_not_counted_as_fixed() -> None:
    page = REFERENCE[:TIPS].rstrip() + "\n"
    found = [d for d in lint_page(page) if d.code == "WF504"]
    assert found and found[0].fix.applicability is Applicability.UNSAFE
    assert lint_source(page, fix=True).source == page
    traded = lint_source(page, fix=True, unsafe=True)
    assert {d.code for d in traded.diagnostics} == {"WF505"}
    assert traded.fixes_applied == 0 and traded.changed


@pytest.mark.parametrize("page", ["", "  \n\n", "\r\n"])
def test_fix_leaves_an_empty_page_alone_and_reports_what_it_lacks(page: str) -> None:
    result = lint_source(page, fix=True, unsafe=True)
    assert result.source == page.replace("\r\n", "\n") and not result.changed
    assert {"WF101", "WF201"} <= {d.code for d in result.diagnostics}


def test_a_mermaid_fence_is_pointed_at_the_mermaid_parser_function() -> None:
    page = splice("== Execution Diagram ==\n```mermaid\ngraph TD\n    A --> B\n```", REFERENCE)
    found = [d for d in lint_page(page) if d.code == "WF603"]
    assert found and "{{#mermaid:" in found[0].message
    assert "syntaxhighlight" not in found[0].message and found[0].fix is None


def test_applying_many_fixes_is_linear() -> None:
    """400 KB of Markdown bold is 67,000 fixes: about a second; the quadratic loop took minutes
    (160 KB: 16 s). The CPU limit fails a quadratic regression, not a loaded machine."""
    script = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_CPU, (15, 15))
        from wikiflow.lint.engine import lint_source
        result = lint_source("**x** " * 67_000, fix=True)
        assert result.fixes_applied == 67_000 and result.converged, result.fixes_applied
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
