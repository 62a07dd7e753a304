from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability
from ....page.model import Page, Severity
from ....page.outline import STEP_LEVEL, SUB_SECTIONS, TOP_SECTIONS
from ..base import Context, Diagnostic, Rule, problems
from ..fixes import rewrite_heading

#: The level the guide gives each block key.
LEVELS = {key: level for key, level in (*TOP_SECTIONS.values(), *SUB_SECTIONS.values())} | {
    "step": STEP_LEVEL, "related_steps": 3}


class SectionLevel(Rule):
    """A guide section's heading is at the wrong level (``==`` vs ``===``).

    ## Why is this bad?
    The guide nests Description and Usage under Overview, the steps under Execution Steps and
    the two lists under Related Pages; a heading at another level breaks that outline in the
    table of contents and for the graph parser, which reads the nesting.

    ## Example
    ```wikitext
    == Overview ==
    End-to-end process for parameter-efficient fine-tuning (PEFT) of Llama-2 models.

    == Description ==
    Fine-tunes a quantized base model with LoRA adapters on a single GPU.

    === Usage ===
    Execute this workflow when you have an instruction dataset and limited GPU memory.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for parameter-efficient fine-tuning (PEFT) of Llama-2 models.

    === Description ===
    Fine-tunes a quantized base model with LoRA adapters on a single GPU.

    === Usage ===
    Execute this workflow when you have an instruction dataset and limited GPU memory.
    ```

    ## Fix safety
    Safe: only the ``=`` marks change; the title stays as written.
    """

    code, name, severity = "WF104", "section-level", Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        found = list(problems(page, "section-level"))
        if not found:
            return
        by_start = {h.span.start: h for h in page.headings if h.span is not None}
        for problem in found:
            item = by_start.get(problem.span.start)
            fix = None
            if item is not None and item.key in LEVELS:
                level = LEVELS[item.key]
                written = ctx.source(item.span)
                fix = rewrite_heading(
                    ctx, item.span, level, item.title, f"Make '{item.title}' a level-{level} "
                    "heading", Applicability.UNSAFE if "<!--" in written else Applicability.SAFE)
            yield self.report(problem.message, problem.span, fix)
