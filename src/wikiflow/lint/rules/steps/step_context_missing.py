from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule


class StepContextMissing(Rule):
    """A step has nothing besides its link.

    ## Why is this bad?
    The step link names the general theory; the guide asks each step for the specifics of
    *this* workflow after it ("Use 4-bit quantization here"). A step that is only a link tells
    the reader nothing the Principle page does not.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]

    === Step 2: Model Quantization ===
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
    Convert the raw JSON/CSV data into the Alpaca prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```

    ## Fix safety
    No fix: the context is for the writer to add.
    """

    code, name, severity = "WF309", "step-context-missing", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        # Subsections of a step (==== Code ====) are context too.
        detailed = {section.after for section in page.sections if section.level > 3}
        for n, step in enumerate(page.steps):
            body = step.body
            if not step.link_first and step.link_span is not None:
                body = body.replace(ctx.source(step.link_span), "", 1)
            if body.strip() or f"step:{n}" in detailed:
                continue
            what = "only its step link" if step.target is not None else "no text"
            yield self.report(
                f"step {step.number} '{step.name}' has {what}; expected a line of context for "
                "this workflow after the step link (what to do here, with which settings)",
                step.heading_span or ctx.top)
