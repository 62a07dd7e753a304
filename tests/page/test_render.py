"""Renderer: canonical bytes, completeness, preservation of what the model does not know."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_WIKI
from wikiflow import parse_page, render_page

EXAMPLES = sorted(EXAMPLE_WIKI.glob("workflows/*.mediawiki"))


def test_guide_sample_renders_to_the_same_bytes(guide_page: str) -> None:
    assert render_page(parse_page(guide_page)) == guide_page


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_workflows_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert render_page(parse_page(text)) == text


def test_missing_diagram_and_related_pages_are_generated(guide_page: str) -> None:
    page = parse_page(guide_page)
    page.diagram = None
    page.related_steps = []
    assert render_page(page) == guide_page


def test_non_canonical_spacing_is_normalised(guide_page: str) -> None:
    messy = guide_page.replace("== Overview ==\n", "==Overview==\n\n\n").replace(
        "[[step::Principle:Quantization]]\n", "[[step::Principle:Quantization]]\n\n")
    assert render_page(parse_page(messy)) == guide_page


def test_sections_out_of_order_are_put_in_guide_order(guide_page: str) -> None:
    head, _, rest = guide_page.partition("== Execution Diagram ==")
    diagram, _, related = rest.partition("== Related Pages ==")
    swapped = head + "== Related Pages ==" + related.rstrip("\n") + "\n\n== Execution Diagram ==" \
        + diagram.rstrip("\n") + "\n"
    assert render_page(parse_page(swapped)) == guide_page


def test_unmodelled_content_is_preserved() -> None:
    text = ("# Workflow: X\n\n{| class=\"wikitable\"\n|-\n! Stars\n| 12\n|}\n\nIntro text.\n\n"
            "== Overview ==\nGoal.\n\n== GitHub URL ==\nhttps://github.com/x/y\n\n"
            "== Execution Steps ==\nSome intro.\n\n=== Step 1: A ===\n[[step::Principle:P]]\n"
            "Body.\n\n==== Detail ====\nMore.\n\n== Related Pages ==\n* Free text item\n")
    out = render_page(parse_page(text))
    for kept in ("# Workflow: X", "! Stars\n| 12", "Intro text.", "== GitHub URL ==\n"
                 "https://github.com/x/y", "Some intro.", "==== Detail ====\nMore.",
                 "* Free text item"):
        assert kept in out
    assert out.index("== GitHub URL ==") < out.index("== Execution Steps ==")
    assert out.index("==== Detail ====") > out.index("=== Step 1: A ===")
    assert render_page(parse_page(out)) == out


@pytest.mark.parametrize("heading", ["== Tips and Tricks ==", "=== Tips and Tricks ==="])
def test_tips_text_without_related_pages_is_kept(heading: str) -> None:
    # Tips and Tricks found with no Related Pages (or step list) around it: its text was
    # dropped, as the whole Related Pages block was left out for want of items.
    text = f"== Overview ==\nGoal.\n\n{heading}\nKeep this tip.\n\n== Notes ==\nAnd this.\n"
    out = render_page(parse_page(text))
    assert "=== Tips and Tricks ===\nKeep this tip." in out and "== Notes ==\nAnd this." in out
    assert render_page(parse_page(out)) == out


def test_step_link_written_mid_body_stays_where_it_was() -> None:
    text = "== Execution Steps ==\n=== Step 1: A ===\nSee [[step::Principle:P]] here.\n"
    out = render_page(parse_page(text))
    assert "=== Step 1: A ===\nSee [[step::Principle:P]] here." in out
