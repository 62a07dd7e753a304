"""The rule commands: rules (the list), rule (one explained) and guide (for writers and agents),
all generated from the one registry of rules and checks (``wikiflow.lint.ruledocs``).
"""

from __future__ import annotations

import json

import click

from ..lint.ruledocs import (DOCUMENTED, documented, rule_text, rules_markdown, rules_table,
                             writing_guide)
from .common import emit, format_option


@click.command()
@format_option("text", "json", "markdown", help="text: a table; markdown: docs/rules.md.")
def rules(fmt: str) -> None:
    """List every rule and whole-wiki check.

    One line each: code, name, default severity, fix, summary.
    Library: wikiflow.lint.ruledocs.DOCUMENTED (wikiflow.lint.rules.RULES and wikiflow.lint.checks.CHECKS).
    """
    if fmt == "markdown":
        emit(rules_markdown(), nl=False)
    elif fmt == "json":
        emit(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                "fix": r.fix.value if r.fix else None,
                                "summary": r.doc().summary} for r in DOCUMENTED], indent=2))
    else:
        emit(rules_table(), nl=False)


@click.command()
@click.argument("code")
def rule(code: str) -> None:
    """Explain one rule or check, with examples.

    CODE is a rule's or whole-wiki check's code or name; the explanation has a bad and a good
    example. Library: wikiflow.lint.ruledocs.rule_text(wikiflow.lint.ruledocs.documented(code)).
    """
    found = documented(code)
    if found is None:
        raise click.UsageError(f"no rule {code!r} (see 'wikiflow rules')")
    emit(rule_text(found), nl=False)


@click.command()
def guide() -> None:
    """Print the guide for writers and agents.

    The writing guide for people and LLM agents, generated from the rules.
    Library: wikiflow.lint.ruledocs.writing_guide().
    """
    emit(writing_guide(), nl=False)


COMMANDS = (rules, rule, guide)
