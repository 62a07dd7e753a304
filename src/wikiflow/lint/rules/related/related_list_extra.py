from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule

#: The lists of Related Pages, with the heading each is named by in messages.
LISTS = {"related_pages": "== Related Pages ==", "related_steps": "=== Execution Steps ===",
         "tips": "=== Tips and Tricks ==="}
_EXPECTED = {
    "related_pages": "'=== Execution Steps ===' and '=== Tips and Tricks ===' subsections",
    "related_steps": "only '* [[step::Principle:X]] - Step N' lines",
    "tips": "only '* [[uses_heuristic::Heuristic:Y]]' lines",
}
_QUOTE = 60


class RelatedListExtra(Rule):
    """Related Pages holds lines that are neither step nor heuristic items.

    ## Why is this bad?
    The guide's Related Pages sections are lists of graph edges: ``* [[step::Principle:X]] -
    Step N`` under Execution Steps and ``* [[uses_heuristic::Heuristic:Y]]`` under Tips and
    Tricks. Prose, plain links, captioned or nested items are not read as edges; rebuilding the
    section keeps them as written, but only a person can turn them into edges or move them.

    ## Example
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * Pack short sequences together to speed up training.
    ```
    Use instead:
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    No fix: whether the text is an edge, a note or belongs elsewhere is for the writer to say.
    """

    code, name = "WF506", "related-list-extra"
    severity = Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for key, title in LISTS.items():
            extra, span = page.extras.get(key), page.spans.get(key)
            if not extra or span is None:
                continue
            lines = extra.split("\n")
            first = lines[0].strip()
            at = span.start + max(ctx.source(span).find(lines[0]), 0)
            quoted = first if len(first) <= _QUOTE else first[:_QUOTE - 1] + "…"
            more = f" and {len(lines) - 1} more line{'s' if len(lines) > 2 else ''}" \
                if len(lines) > 1 else ""
            yield self.report(f"'{title}' has '{quoted}'{more}, which is not a step or heuristic "
                              f"item; expected {_EXPECTED[key]} (rebuilding the section keeps "
                              "such lines as written)", ctx.at(at, at + len(lines[0])))
