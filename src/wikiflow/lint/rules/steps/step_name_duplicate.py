from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity, Step
from ..base import Context, Diagnostic, Rule, label_key


class StepNameDuplicate(Rule):
    """Two steps have the same name.

    ## Why is this bad?
    The diagram's nodes are labelled with the step names, and readers refer to steps by name;
    two steps called alike cannot be told apart (names are compared ignoring case, ``_``
    versus space and spacing, as MediaWiki and Mermaid readers would).

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: data_preparation ===
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
    No fix: the writer decides how to name each step.
    """

    code, name, severity = "WF305", "step-name-duplicate", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        seen: dict[str, Step] = {}
        for step in page.steps:
            key = label_key(step.name)
            if not key:  # an empty name is WF304's
                continue
            first = seen.setdefault(key, step)
            if first is step:
                continue
            yield self.report(
                f"step {step.number} is named '{step.name}', like step {first.number} "
                f"('{first.name}'); expected a distinct name for each step",
                step.heading_span or ctx.top)
