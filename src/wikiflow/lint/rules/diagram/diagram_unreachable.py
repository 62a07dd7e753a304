from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ....page.model import Diagram, Page, Severity
from ..base import Context, Diagnostic, Rule
from .diagram_step_missing import StepNode, match_steps, readable

#: Arrow ends that point: ``-->``, ``==>``, ``-.->``, ``--x``, ``--o`` (and their mirror at the
#: start, ``<-->``, ``x--x``); an open link (``---``, ``-.-``, ``===``, ``~~~``) joins both ways.
_HEADS = frozenset(">xo")
_TAILS = frozenset("<xo")


def successors(diagram: Diagram) -> dict[str, list[str]]:
    """The nodes each node leads to, following arrows (open links count both ways)."""
    graph: dict[str, list[str]] = {}
    for edge in diagram.edges:
        forward, backward = edge.arrow[-1] in _HEADS, edge.arrow[0] in _TAILS
        if forward or not backward:
            graph.setdefault(edge.source, []).append(edge.target)
        if backward or not forward:
            graph.setdefault(edge.target, []).append(edge.source)
    return graph


def flow(page: Page) -> dict[str, list[str]]:
    """``successors`` of the page's diagram: a per-page value (``Context.derived``) that WF407
    and WF408 share."""
    return successors(page.diagram) if page.diagram is not None else {}


def reachable(graph: dict[str, list[str]], start: str, goal: str | None = None) -> set[str]:
    """The nodes reachable from ``start`` (itself included); the search stops early once it
    has seen ``goal``, when one is given (then the set is partial)."""
    seen = {start}
    stack = [start]
    while stack:
        for following in graph.get(stack.pop(), ()):
            if following not in seen:
                seen.add(following)
                if following == goal:
                    return seen
                stack.append(following)
    return seen


def leads_to(graph: dict[str, list[str]], start: str, goal: str) -> bool:
    return goal in reachable(graph, start, goal)


def drawn_steps(page: Page, ctx: Context) -> list[StepNode]:
    """The steps that have a node of their own, for the flow rules.

    None while the flow is uncertain: Mermaid cannot read the diagram (a statement it skipped
    may hold an arrow: WF402), or an arrow touches a bare id (a typo or a subgraph, whose
    members the model does not record: WF406). A node shared by two steps says nothing about
    their order.
    """
    diagram = page.diagram
    if not readable(diagram) or diagram.problems or not diagram.edges:
        return []
    bare = {node.id for node in diagram.nodes if node.label is None}
    if bare and any(edge.source in bare or edge.target in bare for edge in diagram.edges):
        return []
    drawn = [item for item in ctx.derived(match_steps, page) if item.node is not None]
    ids = [item.node.id for item in drawn]
    if len(set(ids)) == len(ids):
        return drawn
    shared = Counter(ids)
    return [item for item in drawn if shared[item.node.id] == 1]


def describe(item: StepNode) -> str:
    return f"step {item.step.number} '{item.step.name}' (node {item.node.id})"


class DiagramUnreachable(Rule):
    """A step's node cannot be reached from the first step's node.

    ## Why is this bad?
    The diagram shows the logical flow from the first step on; a step that no arrow path leads
    to floats apart from the process, usually because an arrow was forgotten or points the
    wrong way. Open links (``---``) count in both directions. The flow is checked once
    Mermaid reads the diagram (WF402) and every node in an arrow has a label (WF406).

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        C[Adapter Training]
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
    No fix: which arrow is missing is for the writer to say.
    """

    code, name, severity = "WF407", "diagram-unreachable", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        drawn = drawn_steps(page, ctx)
        if len(drawn) < 2:
            return
        first = drawn[0]
        graph = ctx.derived(flow, page)
        seen = reachable(graph, first.node.id)
        for item in drawn[1:]:
            if item.node.id in seen:
                continue
            upstream = leads_to(graph, item.node.id, first.node.id)
            hint = f" (its arrows lead into node {first.node.id}: are they reversed?)" \
                if upstream else ""
            yield self.report(
                f"{describe(item)} cannot be reached from {describe(first)} along the "
                f"diagram's arrows{hint}; expected an arrow path from the first step to every "
                "step", item.node.span or page.diagram.span or ctx.top)
