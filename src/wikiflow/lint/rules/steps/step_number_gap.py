from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Edit, Fix
from ....page.model import Page
from ....page.render import heading, step_title
from ..base import Context, Diagnostic, Rule


class StepNumberGap(Rule):
    """Step numbers do not run 1, 2, 3… without gaps or repeats.

    ## Why is this bad?
    Readers and the graph take the order of a recipe from its step numbers; a gap hides a lost
    step and a repeat makes the order ambiguous.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw data into the prompt template.

    === Step 3: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the adapters.
    ```
    Use instead:
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw data into the prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the adapters.
    ```

    ## Fix safety
    Safe: only the numbers in the step headings change, in the order the steps are written.
    """

    code, name = "WF303", "step-number-gap"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        # A step without a number is step-number-missing's, which numbers it by its place.
        wrong = [(n, step) for n, step in enumerate(page.steps, start=1)
                 if step.number is not None and step.number != n]
        if not wrong:
            return
        first_n, first = wrong[0]
        edits = tuple(Edit(step.heading_span.start, step.heading_span.end,
                           heading(3, step_title(n, step.name)))
                      for n, step in wrong if step.heading_span is not None)
        fix = Fix(f"Renumber steps 1–{len(page.steps)}", edits)
        found = "a repeat of" if first.number in {s.number for s in page.steps[:first_n - 1]} \
            else "a jump to"
        yield self.report(
            f"step numbers must run 1 to {len(page.steps)}; found {found} step {first.number} "
            f"where step {first_n} was expected", first.heading_span or ctx.top, fix)
