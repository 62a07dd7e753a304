from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule
from .diagram_unreachable import describe, drawn_steps, flow, leads_to


class DiagramOrder(Rule):
    """The diagram runs two consecutive steps in the other order.

    ## Why is this bad?
    The steps' numbers give the recipe's order; when the diagram's arrows lead from step N+1 to
    step N and never from N to N+1, the two disagree and the reader cannot tell which order is
    right. A loop, where each leads to the other, is fine. A step without a node of its own
    (WF404) is passed over; the flow is checked once Mermaid reads the diagram (WF402) and
    every node in an arrow has a label (WF406).

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> C[Adapter Training]
        C --> B[Model Quantization]
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
    No fix: either the arrows or the step order may be the wrong one.
    """

    code, name, severity = "WF408", "diagram-order", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        drawn = drawn_steps(page, ctx)
        if len(drawn) < 2:
            return
        graph = ctx.derived(flow, page)
        # Consecutive among the steps drawn: a step without a node (WF404) is passed over.
        for before, after in zip(drawn, drawn[1:]):
            a, b = before.node.id, after.node.id
            if a == b or leads_to(graph, a, b) or not leads_to(graph, b, a):
                continue
            yield self.report(
                f"the diagram leads from {describe(after)} to {describe(before)} but not back; "
                f"expected step {before.step.number} before step {after.step.number}, as in "
                f"'{a} --> {b}'", after.node.span or page.diagram.span or ctx.top)
