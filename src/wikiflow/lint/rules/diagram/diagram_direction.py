from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule

#: Header words Mermaid reads as the same flowchart (``graph`` is the older spelling).
FLOWCHART_KINDS = frozenset({"graph", "flowchart"})
#: Top to bottom; TB is Mermaid's own name for TD, "v" its arrow, and no direction means TB.
TOP_DOWN = frozenset({"TD", "TB", "v", None})


class DiagramDirection(Rule):
    """The execution diagram is not a top-down flowchart.

    ## Why is this bad?
    The guide's format is ``{{#mermaid:graph TD … }}``: steps read top to bottom, like the
    Execution Steps beside them, and every workflow page looks alike. ``flowchart TD``,
    ``graph TB`` and a bare ``graph`` draw the same diagram and are accepted; a left-to-right
    or bottom-up chart, or the ELK renderer (``flowchart-elk``), is not the guide's layout.
    Another diagram type is WF410's.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph LR
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
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
    No fix: a wide diagram may have been drawn left to right on purpose; the writer decides.
    """

    code, name, severity = "WF403", "diagram-direction", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        diagram = page.diagram
        if diagram is None or diagram.kind not in FLOWCHART_KINDS | {"flowchart-elk"}:
            return
        if diagram.kind in FLOWCHART_KINDS and diagram.direction in TOP_DOWN:
            return
        header = " ".join(part for part in (diagram.kind, diagram.direction) if part)
        yield self.report(f"the diagram is a '{header}' chart; expected 'graph TD' (top to "
                          "bottom, as the guide draws it)", diagram.span or ctx.top)
