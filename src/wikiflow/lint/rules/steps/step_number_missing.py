from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability
from ....page.model import Page
from ....page.render import step_title
from ..base import Context, Diagnostic, Rule, problems
from ..fixes import rewrite_heading


class StepNumberMissing(Rule):
    """A step heading carries a step link but no ``Step N:``.

    ## Why is this bad?
    The guide numbers every step in its heading, and readers, the diagram and the Related
    Pages list refer to steps by number. The heading is still read as a step (its step link
    says so) and keeps its place, but it has no number to be cited by.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the prompt template.

    === Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```
    Use instead:
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```

    ## Fix safety
    Safe: ``Step N:`` is added before the title as written, N the step's place among the
    steps (the number step-number-gap expects there), and the heading keeps its level.
    """

    code, name = "WF310", "step-number-missing"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        found = {p.span.start: p for p in problems(page, "step-number-missing") if p.span}
        if not found:
            return
        levels = {h.span.start: h.level for h in page.headings if h.span is not None}
        for n, step in enumerate(page.steps, start=1):
            span = step.heading_span
            problem = found.get(span.start) if span is not None else None
            if problem is None or span is None:
                continue
            title = step_title(n, step.name)
            safety = Applicability.UNSAFE if "<!--" in ctx.source(span) else Applicability.SAFE
            fix = rewrite_heading(ctx, span, levels[span.start], title,
                                  f"Number the heading '{title}'", safety)
            yield self.report(f"{problem.message}; expected '{title}' (step {n} of "
                              f"{len(page.steps)})", span, fix)
