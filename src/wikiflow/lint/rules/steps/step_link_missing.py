from __future__ import annotations

from collections.abc import Iterator

from ....page.model import PRINCIPLE, Link, Page
from ....page.names import page_name
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule


class StepLinkMissing(Rule):
    """A step has no ``[[step::Principle:…]]`` link.

    ## Why is this bad?
    The step link is what ties a recipe to the theory it applies: the graph parser reads the
    ordered ``step`` annotations to build the workflow's edges. A step without one is invisible
    to the graph, and readers cannot follow it to its Principle page.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    Convert the raw JSON/CSV data into the Alpaca prompt template.

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
    No fix: which Principle a step applies is for the writer to say.
    """

    code, name = "WF301", "step-link-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for step in page.steps:
            if step.target is not None:
                continue
            hint = _plain_principle_link(page, step.span)
            found, expected = "", "[[step::Principle:{Principle_Name}]]"
            if hint is not None:
                found = f", only the plain link '{ctx.source(hint.span)}'"
                expected = f"[[step::{hint.target}]]"
            yield self.report(f"step {step.number} '{step.name}' has no step link{found}; "
                              f"expected '{expected}' as the first line of the step",
                              step.heading_span or ctx.top)


def _plain_principle_link(page: Page, span: Span | None) -> Link | None:
    """A plain ``[[Principle:X]]`` link inside the step: the writer's likely intent, for the
    message only (the link may as well be a cross-reference)."""
    if span is None:
        return None
    for link in page.links:
        if link.span is None or link.span.start < span.start:
            continue
        if link.span.start >= span.end:
            break
        if page_name(link.target).namespace == PRINCIPLE:
            return link
    return None
