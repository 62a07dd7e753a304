from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ...edits import Applicability
from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .related_pages_missing import shared_related_pages_fix


class RelatedStepsSectionMissing(Rule):
    """Related Pages has no ``=== Execution Steps ===`` subsection.

    ## Why is this bad?
    The guide puts the duplicated step links in their own ``=== Execution Steps ===``
    subsection under Related Pages, beside ``=== Tips and Tricks ===``. A flat list right under
    Related Pages mixes steps and heuristics, and readers and tools looking for the
    subsection find nothing.

    ## Example
    ```wikitext
    == Related Pages ==
    * [[step::Principle:Data_Formatting]] - Step 1
    * [[step::Principle:Quantization]] - Step 2
    * [[step::Principle:Low_Rank_Adaptation]] - Step 3

    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```
    Use instead:
    ```wikitext
    == Related Pages ==
    === Execution Steps ===
    * [[step::Principle:Data_Formatting]] - Step 1
    * [[step::Principle:Quantization]] - Step 2
    * [[step::Principle:Low_Rank_Adaptation]] - Step 3

    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    Safe: Related Pages is written as the guide lays it out, with the step links it lists (or,
    when it lists none, those of the steps) under the new heading; every other line is kept.
    The fix is unsafe when that would move a line past another or the section holds an HTML
    comment, and when the page lists no heuristic (it would add an empty Tips and Tricks).
    """

    code, name = "WF503", "related-steps-section-missing"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "related_pages" not in page.spans or "related_steps" in page.spans:
            return
        heading = next(h for h in page.headings if h.key == "related_pages")
        flat = len(page.related_steps)
        found = f"it lists {flat} step link{'s' if flat != 1 else ''} directly" if flat \
            else "it has none"
        fix = partial(shared_related_pages_fix, page, ctx, "Add the Execution Steps subsection to Related Pages")
        yield self.report(f"'{ctx.source(heading.span).strip()}' has no '=== Execution Steps ==="
                          f"' subsection ({found}); expected the step links as "
                          "'* [[step::Principle:X]] - Step N' under '=== Execution Steps ==='",
                          heading.span, fix)
