from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule


class TipsEmpty(Rule):
    """Tips and Tricks lists no heuristic.

    ## Why is this bad?
    Tips and Tricks exists to link the heuristics that apply to the whole process; those links
    are the workflow's ``uses_heuristic`` edges in the graph. An empty section, or one with
    prose tips but no link, gives the graph nothing and hides whether any heuristic applies.

    ## Example
    ```wikitext
    === Tips and Tricks ===
    * Enable gradient checkpointing to save memory.
    ```
    Use instead:
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    ```

    ## Fix safety
    No fix: which heuristic pages apply is for the writer to say.
    """

    code, name = "WF505", "tips-empty"
    severity = Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        span = page.spans.get("tips")
        if span is None:
            return
        # From the end, where the subsection usually is, and where before the property (a
        # function call): the search walked every annotation of a page that had heuristics.
        if any(a.span is not None and span.start <= a.span.start < span.end
               and a.prop == "uses_heuristic" for a in reversed(page.annotations)):
            return
        heading = next(h for h in page.headings if h.key == "tips")
        elsewhere = sum(1 for a in page.annotations if a.prop == "uses_heuristic")
        if elsewhere:
            found = f"the page's {elsewhere} heuristic link{'s' if elsewhere != 1 else ''} " \
                f"{'are' if elsewhere != 1 else 'is'} elsewhere"
        elif page.extras.get("tips"):
            found = "it has text but no heuristic link"
        else:
            found = "it is empty"
        yield self.report(f"'{ctx.source(heading.span).strip()}' lists no heuristic ({found}); "
                          "expected one '* [[uses_heuristic::Heuristic:Y]]' line per heuristic "
                          "that applies", heading.span)
