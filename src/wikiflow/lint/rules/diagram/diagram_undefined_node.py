from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule


class DiagramUndefinedNode(Rule):
    """A diagram node is used in an arrow but never given a label.

    ## Why is this bad?
    Mermaid draws a node that is never written with a shape as a box showing its bare id
    (``C``). Usually the id is a typo for another node (Mermaid ids are case-sensitive), or the
    label was forgotten; either way the box tells the reader nothing. Checked once the diagram
    has no syntax error (WF402), since a statement Mermaid cannot read may hold the label.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C
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
    No fix: only the writer knows which node or label was meant.
    """

    code, name, severity = "WF406", "diagram-undefined-node", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        diagram = page.diagram
        if diagram is None or diagram.problems or not diagram.edges:
            return
        bare = {node.id: node for node in diagram.nodes if node.label is None}
        if not bare:
            return
        # An edge may point at a subgraph: those ids are not nodes.
        subgraphs = set(diagram.subgraphs)
        ends = {end for edge in diagram.edges for end in (edge.source, edge.target)}
        labelled = {node.id.casefold(): node for node in diagram.nodes if node.label}
        for node_id, node in bare.items():
            if node_id not in ends or node_id in subgraphs:
                continue
            other = labelled.get(node_id.casefold())
            hint = f" (did you mean node {other.id} '{other.label}'?)" if other else ""
            yield self.report(
                f"diagram node '{node_id}' is used in an arrow but never given a label, so "
                f"Mermaid shows the bare id; expected '{node_id}[{{Step Name}}]' where it first "
                f"appears{hint}", node.span or diagram.span or ctx.top)
