from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import PRINCIPLE, Page, Step
from ....page.names import page_name
from ..base import Context, Diagnostic, Rule


class StepLinkNamespace(Rule):
    """A step link does not point into the Principle namespace.

    ## Why is this bad?
    The guide's step link is ``[[step::Principle:{Principle_Name}]]``: a step applies a
    Principle. Without the prefix the link resolves to a page in the main namespace, which does
    not exist, and the graph loses the step's theory; a link to another namespace (an
    Implementation, a Heuristic) says something else than "this step applies this Principle".

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Data_Formatting]]
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
    Unsafe: adding ``Principle:`` to a target without a namespace assumes a Principle page of
    that name is meant. A target in another namespace, or with an unknown prefix, gets no fix.
    The Related Pages copy of the link is WF502's to rebuild.
    """

    code, name = "WF307", "step-link-namespace"
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for step in page.steps:
            if step.target is None or step.link_span is None:
                continue
            name = page_name(step.target)
            if name.namespace == PRINCIPLE or not name.valid:  # invalid: WF308
                continue
            written = ctx.source(step.link_span)
            if name.namespace:
                yield self.report(
                    f"step link '{written}' of step {step.number} points into the "
                    f"{name.namespace} namespace; a step applies a Principle, expected "
                    "'[[step::Principle:{Principle_Name}]]'", step.link_span)
                continue
            prefix, colon, rest = step.target.lstrip(":").partition(":")
            if colon and rest.strip():
                # "Principles:X": a prefix that is no namespace, so the page is in the main one.
                yield self.report(
                    f"step link '{written}' of step {step.number} starts with '{prefix}:', "
                    f"which is no namespace of the wiki; expected "
                    f"'[[step::{PRINCIPLE}:{rest.strip()}]]'", step.link_span)
                continue
            expected = f"[[step::{PRINCIPLE}:{step.target.lstrip(':').strip()}]]"
            yield self.report(
                f"step link '{written}' of step {step.number} has no namespace; expected "
                f"'{expected}'", step.link_span, _add_namespace(ctx, step, written))


def _add_namespace(ctx: Context, step: Step, written: str) -> Fix | None:
    """Insert ``Principle:`` before the value, keeping the rest of the link as written."""
    marker = written.find("::")
    if marker == -1 or ":" in step.target:  # "Principles:X", ":X": not a plain missing prefix
        return None
    value = marker + 2
    value += len(written[value:]) - len(written[value:].lstrip())
    where = step.link_span.start + value
    return Fix.replace(f"Add '{PRINCIPLE}:' to the step link", where, where, f"{PRINCIPLE}:",
                       Applicability.UNSAFE)
