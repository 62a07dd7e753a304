from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems


class DiagramNotFlowchart(Rule):
    """The execution diagram is another Mermaid diagram type than a flowchart.

    ## Why is this bad?
    The guide asks for a flowchart of the steps (``graph TD``): its nodes are matched with the
    Execution Steps and its arrows give the order. A sequence, state or other diagram may draw
    well on the wiki, but none of that can be checked, and pages stop looking alike. This is
    the guide's policy, apart from WF402 (a diagram Mermaid cannot draw at all).

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:sequenceDiagram
        Loader->>Trainer: tokenized batches
    }}
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Tokenization] --> B[Training]
    }}
    ```

    ## Fix safety
    No fix: redrawing another diagram as a flowchart is for the writer.
    """

    code, name = "WF410", "diagram-not-flowchart"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "mermaid-not-flowchart"):
            yield self.report(problem.message, problem.span or ctx.top)
