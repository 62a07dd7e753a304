from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ...edits import Applicability
from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .related_pages_missing import shared_related_pages_fix


class TipsMissing(Rule):
    """Related Pages has no ``=== Tips and Tricks ===`` subsection.

    ## Why is this bad?
    Tips and Tricks lists the heuristics that apply to the whole process, the workflow's
    ``uses_heuristic`` edges in the graph. Every section of the guide is mandatory: a page
    without it does not say whether any heuristic applies, and heuristic links written
    elsewhere are not where readers and tools look for them.

    ## Example
    ```wikitext
    == Related Pages ==
    === Execution Steps ===
    * [[step::Principle:Data_Formatting]] - Step 1
    * [[step::Principle:Quantization]] - Step 2
    * [[step::Principle:Low_Rank_Adaptation]] - Step 3
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
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
    ```

    ## Fix safety
    Safe: Related Pages is written as the guide lays it out, with a Tips and Tricks heading and
    the heuristic links the section already lists moved under it; every other line is kept.
    The fix is unsafe when that would move a line past another or the section holds an HTML
    comment, and when the page lists no heuristic: an empty Tips and Tricks only trades this
    error for WF505, and only the writer knows which heuristics apply.
    """

    code, name = "WF504", "tips-missing"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "related_pages" not in page.spans or "tips" in page.spans:
            return
        heading = next(h for h in page.headings if h.key == "related_pages")
        listed = len(page.heuristics)
        found = f"{listed} heuristic link{'s are' if listed != 1 else ' is'} listed elsewhere" \
            if listed else "no heuristic is listed"
        fix = partial(shared_related_pages_fix, page, ctx, "Add the Tips and Tricks subsection to Related Pages")
        yield self.report(f"'{ctx.source(heading.span).strip()}' has no '=== Tips and Tricks ==="
                          f"' subsection ({found}); expected the heuristics as "
                          "'* [[uses_heuristic::Heuristic:Y]]' under '=== Tips and Tricks ==='",
                          heading.span, fix)
