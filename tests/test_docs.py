"""Generated documentation stays in step with the registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from wikiflow.cli.main import all_commands, main
from wikiflow.cli.docs import cli_reference
from wikiflow.lint.ruledocs import rules_markdown, writing_guide
from wikiflow.lint.rules import RULES

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
        "docs/cli.md is stale: run `python -m wikiflow.cli.docs > docs/cli.md`")


def test_every_command_and_option_says_what_it_is_for() -> None:
    for name, command in all_commands().items():
        assert command.help and "Library:" in command.help, f"{name}: no help or library twin"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"wikiflow {name} {param.opts[0]}: no help"


def test_whole_wiki_checks_are_documented_like_rules() -> None:
    from wikiflow.lint.checks import CHECKS
    from wikiflow.lint.ruledocs import documented, rule_text

    reference = rules_markdown()
    for check in CHECKS:
        doc = check.doc()  # raises when a section is missing
        assert doc.bad != doc.good and doc.why and doc.fix_safety, check.code
        assert documented(check.code) is documented(check.name) is check
        assert f"### {check.code} {check.name}" in reference
        assert doc.bad.strip() in rule_text(check)


README = DOCS.parents[1] / "README.md"
#: README examples that talk to a live wiki: the sync tests run them against a real MediaWiki.
NEEDS_A_WIKI = "https://wiki.example.org/"


def test_readme_python_examples_run_as_written(tmp_path: Path, monkeypatch) -> None:
    """Each ```python block of the README, executed as it stands from a folder holding a copy
    of the example wiki (the README's commands run from the repository's root)."""
    import re
    import shutil

    blocks = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"),
                        re.M | re.S)
    runnable = [block for block in blocks if NEEDS_A_WIKI not in block]
    assert runnable and len(blocks) - len(runnable) == 1
    shutil.copytree(DOCS.parents[1] / "examples" / "wiki", tmp_path / "examples" / "wiki",
                    ignore=shutil.ignore_patterns(".wikiflow"))
    monkeypatch.chdir(tmp_path)
    for block in runnable:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})


def test_readme_opens_with_two_commands_ending_on_a_summary_line() -> None:
    """A newcomer's first command ends on the linter's summary, not pages of data."""
    first = README.read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```", 1)[0]
    commands = first.splitlines()
    assert len(commands) == 2
    assert commands[0].rsplit(" && ", 1)[1] == ".venv/bin/wikiflow lint examples/wiki"
    ci = (DOCS.parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    for step in commands[0].split(" && ")[2:]:
        assert f"\n{step}\n" in ci, step
    run = subprocess.run([sys.executable, "-m", "wikiflow", "lint", "examples/wiki"],
                         cwd=DOCS.parents[1], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("All checks passed ("), run.stdout
