from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems


class ExtraDiagram(Rule):
    """The Execution Diagram section holds more than one ``{{#mermaid:…}}`` diagram.

    ## Why is this bad?
    The guide expects exactly one flowchart of the steps; the graph parser and the checks read
    only the first, so what a second diagram shows is never checked against the steps and
    readers get two pictures of one process.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
    }}
    {{#mermaid:graph TD
        B[Model Quantization] --> C[Adapter Training]
    }}
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}
    ```

    ## Fix safety
    No fix: merging two diagrams is for the writer.
    """

    code, name = "WF409", "extra-diagram"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "extra-diagram"):
            yield self.report(problem.message, problem.span or ctx.top)
