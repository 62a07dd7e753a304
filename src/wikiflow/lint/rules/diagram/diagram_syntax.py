from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule


class DiagramSyntax(Rule):
    """Mermaid cannot read the execution diagram.

    ## Why is this bad?
    Mermaid (10.9.3, as the wiki's extension bundles it) renders nothing but an error box for
    a flowchart with one bad statement: an unquoted parenthesis in a label, an unclosed
    bracket, an empty label, a keyword such as ``end`` or ``style`` used as a node id, a
    ``style`` or ``classDef`` without its styles. The reader loses the whole diagram. Another
    diagram type than a flowchart is the guide's policy, WF410.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization (NF4)]
        B --> C[Adapter Training]
    }}
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B["Model Quantization (NF4)"]
        B --> C[Adapter Training]
    }}
    ```

    ## Fix safety
    No fix: the message says what Mermaid expects, but the writer decides how to say it.
    """

    code, name = "WF402", "diagram-syntax"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in page.problems:
            if problem.code.startswith("mermaid-") and problem.code != "mermaid-not-flowchart":
                yield self.report(problem.message, problem.span or ctx.top)
