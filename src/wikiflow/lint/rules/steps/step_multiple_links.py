from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule


class StepMultipleLinks(Rule):
    """A step holds more than one ``[[step::…]]`` link.

    ## Why is this bad?
    Each step applies one Principle; the graph reads every ``step`` annotation as a step of the
    workflow, so a second link inside a step adds a step the page does not show, and only the
    first is taken as the step's own.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template, then
    tokenize it ([[step::Principle:Tokenization]]).

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
    Convert the raw JSON/CSV data into the Alpaca prompt template, then
    tokenize it ([[Principle:Tokenization]]).

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```

    ## Fix safety
    No fix: the writer decides whether to split the step or make the extra link a plain
    ``[[Principle:X]]`` reference.
    """

    code, name = "WF306", "step-multiple-links"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        spans = [step.span for step in page.steps if step.span is not None]
        if not spans:
            return
        low, high = spans[0].start, spans[-1].end
        links = []
        for annotation in page.annotations:  # in page order: stop after the last step
            if annotation.span is None or annotation.span.start < low:
                continue
            if annotation.span.start >= high:
                break
            if annotation.property == "step" or annotation.prop == "step":
                links.append(annotation)
        if len(links) <= len(spans):
            # One link per step at most, unless a step without a link lends its count to one
            # with two: only then is the per-step look needed.
            if all(step.link_span is not None for step in page.steps) or not links:
                return
        starts = [a.span.start for a in links]
        for step in page.steps:
            if step.span is None:
                continue
            inside = links[bisect_left(starts, step.span.start):
                           bisect_left(starts, step.span.end)]
            for extra in inside[1:]:
                yield self.report(
                    f"step {step.number} '{step.name}' has a second step link "
                    f"'{ctx.source(extra.span)}' after '{ctx.source(inside[0].span)}'; expected "
                    "one step link per step (split the step, or write a plain "
                    f"'[[{extra.value}]]' link)", extra.span)
