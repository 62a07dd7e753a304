from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule


class StepNameEmpty(Rule):
    """A step heading has a number but no name.

    ## Why is this bad?
    The step name is what the diagram's nodes, the table of contents and readers refer to; a
    bare ``=== Step 2 ===`` says nothing about what the step does.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.

    === Step 2 ===
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
    No fix: only the writer can name the step.
    """

    code, name = "WF304", "step-name-empty"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for step in page.steps:
            if step.name.strip():
                continue
            span = step.heading_span or ctx.top
            yield self.report(f"step {step.number} has no name ('{ctx.source(span).strip()}'); "
                              f"expected '=== Step {step.number}: {{Step Name}} ==='", span)
