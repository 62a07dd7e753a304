"""Generated documentation stays in step with the registry."""

from __future__ import annotations

from pathlib import Path

import click

from wikiflow.cli import main
from wikiflow.clidocs import cli_reference
from wikiflow.ruledocs import rules_markdown, writing_guide
from wikiflow.rules import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
CLI_DOCS = DOCS.with_name("cli.md")


def test_rules_md_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `wikiflow rules --format markdown > docs/rules.md`")


def test_guide_covers_every_rule_and_shows_a_clean_page() -> None:
    from wikiflow import lint_page

    guide = writing_guide()
    assert all(rule.code in guide for rule in RULES)
    page = guide.split("## A complete page")[1].split("```wikitext\n")[1].split("```")[0]
    assert lint_page(page) == []


def test_cli_md_is_up_to_date() -> None:
    assert CLI_DOCS.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run `python -m wikiflow.clidocs > docs/cli.md`")


def test_every_command_and_option_says_what_it_is_for() -> None:
    for name, command in main.commands.items():
        assert command.help and "Library:" in command.help, f"{name}: no help or library twin"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"wikiflow {name} {param.opts[0]}: no help"


def test_whole_wiki_checks_are_documented_like_rules() -> None:
    from wikiflow.checks import CHECKS
    from wikiflow.ruledocs import documented, rule_text

    reference = rules_markdown()
    for check in CHECKS:
        doc = check.doc()  # raises when a section is missing
        assert doc.bad != doc.good and doc.why and doc.fix_safety, check.code
        assert documented(check.code) is documented(check.name) is check
        assert f"### {check.code} {check.name}" in reference
        assert doc.bad.strip() in rule_text(check)
