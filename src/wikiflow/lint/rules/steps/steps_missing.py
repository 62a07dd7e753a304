from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Section
from ....page.render import heading, step_title
from ..base import Context, Diagnostic, Rule


class StepsMissing(Rule):
    """The Execution Steps section has no steps.

    ## Why is this bad?
    The steps are the recipe: without ``=== Step N: Name ===`` subsections the page has no
    order, no step links for the graph and nothing for the diagram to show. Subsections titled
    otherwise (``=== Load the data ===``) are not read as steps, unless they carry a step link
    (then a missing number is WF310's).

    ## Example
    ```wikitext
    == Execution Steps ==
    === Data Preparation ===
    Convert the raw JSON/CSV data into the Alpaca prompt template.
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
    No fix: the writer must write the steps, or number the subsections that are meant as steps.
    """

    code, name = "WF311", "steps-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if page.steps or "execution_steps" not in page.spans:
            return
        section = page.spans["execution_steps"]
        title = next((h for h in page.headings if h.key == "execution_steps"), None)
        span = title.span if title is not None and title.span is not None else section
        found = _first_subsection(page)
        if found is not None:
            yield self.report(
                f"'== Execution Steps ==' has no step; its subsection "
                f"'{heading(found.level, found.title)}' is not a step heading, expected "
                f"'{heading(3, step_title(1, found.title))}'", found.span or span)
            return
        yield self.report("'== Execution Steps ==' has no step; expected "
                          "'=== Step 1: {Step Name} ===' subsections, each with a step link "
                          "and context", span)


def _first_subsection(page: Page) -> Section | None:
    """The first subsection written under Execution Steps (up to the next level-2 heading)."""
    for section in page.sections:
        if section.after != "execution_steps":
            continue
        if section.level <= 2:
            return None
        return section
    return None
