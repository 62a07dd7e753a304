from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ....page.names import page_name
from ..base import Context, Diagnostic, Rule

#: What ``PageName.valid`` rejects besides control characters, to name the culprit.
_ILLEGAL = frozenset("#<>[]|{}")


class StepTargetInvalid(Rule):
    """A step link's target is not a valid page name.

    ## Why is this bad?
    MediaWiki cannot make a page of an empty title or of one with ``# < > [ ] | { }``; such a
    link never resolves, and a leftover template placeholder (``{Principle_Name}``) means the
    step was never filled in.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:{Principle_Name}]]
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
    No fix: only the writer knows which Principle was meant.
    """

    code, name = "WF308", "step-target-invalid"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for step in page.steps:
            if step.target is None or step.link_span is None:
                continue
            name = page_name(step.target)
            if name.valid:
                continue
            if name.title:
                bad = next(c for c in name.title if c in _ILLEGAL or ord(c) < 32 or ord(c) == 127)
                why = f"has {bad!r} in its page name, which MediaWiki does not allow"
            else:
                why = "names no page"
            yield self.report(
                f"step link '{ctx.source(step.link_span)}' of step {step.number} {why}; "
                "expected a Principle name, as in '[[step::Principle:Data_Formatting]]'",
                step.link_span)
