"""Generated documentation stays in step with the registry."""

from __future__ import annotations

from pathlib import Path

from wikiflow.ruledocs import rules_markdown, writing_guide
from wikiflow.rules import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_md_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `wikiflow rules --format markdown > docs/rules.md`")


def test_guide_covers_every_rule_and_shows_a_clean_page() -> None:
    from wikiflow import lint_page

    guide = writing_guide()
    assert all(rule.code in guide for rule in RULES)
    page = guide.split("## A complete page")[1].split("```wikitext\n")[1].split("```")[0]
    assert lint_page(page) == []
