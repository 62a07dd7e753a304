from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule
from .diagram_step_missing import label_key, match_steps, readable, step_keys


class DiagramExtraNode(Rule):
    """A diagram node is not one of the steps.

    ## Why is this bad?
    The guide's diagram shows the steps. Real diagrams often add decision nodes
    (``F{Deploy?}``) or outcomes, which can help; but a node that is a step under another name,
    or a step the Execution Steps never describe, leaves the reader looking for it. Reported
    as information: keep the node if it is deliberate. A node that seems to stand for a step
    under a near name is WF404's.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
        C --> D[Merge Weights]
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
    No fix: the writer decides whether the node is a missing step, a step's other name, or a
    deliberate addition.
    """

    code, name, severity = "WF405", "diagram-extra-node", Severity.INFO

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        diagram = page.diagram
        if not readable(diagram) or not diagram.nodes or not page.steps:
            return  # without steps there is nothing to compare with (WF311, WF101)
        steps = {key for step in page.steps for key in step_keys(step) if step.name.strip()}
        near = {item.node.id for item in ctx.derived(match_steps, page) if item.node and not item.exact}
        for node in diagram.nodes:
            if not node.label or node.id in near or label_key(node.label) in steps:
                continue
            yield self.report(
                f"diagram node {node.id} '{node.label}' is not one of the steps; the guide's "
                "diagram shows the step names (keep it if it is a deliberate decision or "
                "outcome)", node.span or diagram.span or ctx.top)
