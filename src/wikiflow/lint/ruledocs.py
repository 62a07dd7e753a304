"""Documents generated from the rule registry: the rule reference and the writing guide.

``docs/rules.md`` is ``rules_markdown()``; ``wikiflow guide`` prints ``writing_guide()``. Both
come from the rules' docstrings, so the documentation, the guide for writers and the linter
cannot disagree (a test regenerates ``docs/rules.md`` and compares). The reference covers the
whole-wiki checks (WF7xx, ``checks.CHECKS``) too: their findings appear beside the rules'.
"""

from __future__ import annotations

import re
import textwrap

from .checks import CHECKS, WikiCheck
from ..page.render import render_page
from .rules import GROUPS, RULES, registry
from .rules.base import Rule

_FIX = {None: "no fix", "safe": "safe fix", "unsafe": "unsafe fix"}

#: A page rule or a whole-wiki check: what the reference documents, in code order.
Documented = type[Rule] | type[WikiCheck]
DOCUMENTED: tuple[Documented, ...] = (*RULES, *CHECKS)
_BY_KEY = registry(DOCUMENTED)  # codes and names unique across rules and checks too
_GROUPS = {**GROUPS, "WF7": "Whole wiki (`wikiflow check`, `wikiflow lint` of a wiki folder)"}


def documented(key: str) -> Documented | None:
    """The rule or check with this code or name."""
    return _BY_KEY.get(key) or _BY_KEY.get(key.upper())


def fenced(text: str) -> list[str]:
    """A wikitext code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}wikitext", text.rstrip("\n"), fence]


def fix_label(rule: Documented) -> str:
    return _FIX[rule.fix.value if rule.fix else None]


def rule_text(rule: Documented) -> str:
    """One rule explained (``wikiflow rule CODE``): Markdown, readable as plain text."""
    doc = rule.doc()
    return "\n".join([
        f"# {rule.code} {rule.name}",
        "",
        f"{doc.summary}",
        "",
        *([doc.details, ""] if doc.details else []),
        f"Default severity: {rule.severity.value}. Fix: {fix_label(rule)}.",
        "",
        "## Why is this bad?",
        doc.why,
        "",
        "## Example",
        *fenced(doc.bad),
        "Use instead:",
        *fenced(doc.good),
        "",
        "## Fix safety",
        doc.fix_safety,
        "",
    ])


def rules_table() -> str:
    """The one-line-per-rule listing of ``wikiflow rules``."""
    width = max(len(rule.name) for rule in DOCUMENTED)
    return "\n".join(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  "
                     f"{fix_label(rule):<10}  {rule.doc().summary}" for rule in DOCUMENTED) + "\n"


def rules_markdown() -> str:
    """``docs/rules.md``: every rule, grouped, with its documentation."""
    parts = ["# Rules", "",
             "Generated from the rule registry by `wikiflow rules --format markdown`; do not "
             "edit by hand.", "",
             "| Code | Name | Severity | Fix | Summary |", "|---|---|---|---|---|"]
    parts += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity.value} | "
              f"{fix_label(r)} | {r.doc().summary} |" for r in DOCUMENTED]
    for prefix, title in _GROUPS.items():
        parts += ["", f"## {prefix}xx: {title}"]
        for rule in (r for r in DOCUMENTED if r.code.startswith(prefix)):
            parts += ["", rule_text(rule).replace("# ", "### ", 1).replace("\n## ", "\n#### ")
                      .rstrip("\n")]
    return "\n".join(parts) + "\n"


def writing_guide() -> str:
    """A guide for people and LLM agents who write Workflow pages, generated from the rules."""
    parts = [
        "# Writing a Workflow page",
        "",
        "A Workflow page is a recipe in a Semantic MediaWiki knowledge graph: a metadata table, "
        "an Overview with Description and Usage, numbered Execution Steps that each link one "
        "Principle page, a Mermaid Execution Diagram of the steps, and Related Pages. Every "
        "section is mandatory. `wikiflow new NAME` writes a complete skeleton; "
        "`wikiflow lint PAGE` checks a page against every rule below; `wikiflow lint --fix` "
        "repairs what can be repaired safely.",
    ]
    for prefix, title in GROUPS.items():
        rules = [r for r in RULES if r.code.startswith(prefix)]
        parts += ["", f"## {title}", "", "What the linter reports, and why:", ""]
        for rule in rules:
            doc = rule.doc()
            why = doc.why.split(". ")[0].rstrip(".") + "."
            parts.append(textwrap.fill(f"- {rule.code} {doc.summary} {why}", 100,
                                       subsequent_indent="  "))
        if rules:
            parts += ["", "Written right:", "", *fenced(rules[0].doc().good)]
    from ..page.structured import page_from_spec, scaffold_spec  # pydantic: loaded when needed

    example = render_page(page_from_spec(scaffold_spec("Example_Recipe")))
    parts += ["", "## A complete page", "", *fenced(example)]
    return "\n".join(parts) + "\n"
