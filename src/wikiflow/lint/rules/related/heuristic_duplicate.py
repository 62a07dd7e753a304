from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule, target_key


class HeuristicDuplicate(Rule):
    """The same heuristic is listed twice.

    ## Why is this bad?
    Each heuristic is one edge of the graph; a repeated line adds nothing, makes the list
    longer to read and often means one of the two was meant to be another heuristic.

    ## Example
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    * [[uses_heuristic::Heuristic:Gradient Checkpointing Optimization]]
    ```
    Use instead:
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    Unsafe: the fix deletes the repeated line, with any note written after its link.
    """

    code, name = "WF508", "heuristic-duplicate"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        first_seen: dict[str, int] = {}
        for n, item in enumerate(page.heuristics):
            key = target_key(item.target)
            first = first_seen.setdefault(key, n)
            if first == n or item.span is None:
                continue
            earlier = page.heuristics[first]
            line = f" on line {ctx.line(earlier.span.start)}" if earlier.span is not None else ""
            end = item.span.end + 1 if ctx.text.startswith("\n", item.span.end) else item.span.end
            fix = Fix.replace("Remove the repeated heuristic", item.span.start, end, "",
                              Applicability.UNSAFE)
            spelled = f" as '{earlier.target}'" if earlier.target != item.target else ""
            yield self.report(f"heuristic '{item.target}' is already listed{spelled}{line}; "
                              "expected each heuristic once", item.span, fix)
